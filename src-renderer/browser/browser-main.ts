// The renderer's browser entry (browser.html, served by `momentum-lab serve`):
// window.lab over the server's WebSocket first, then the same app as in
// Electron. The app is imported dynamically, so that it is evaluated only
// after window.lab exists (a static import would be evaluated first).
import { LAB_CHANNELS } from '../../src-core/contracts/lab-api';
import { installSocketBridge } from './socket-bridge';

installSocketBridge(LAB_CHANNELS);
void import('../main');
