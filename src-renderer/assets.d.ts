// Side-effect imports of stylesheets (main.ts imports app.css); Vite bundles them.
declare module '*.css';
