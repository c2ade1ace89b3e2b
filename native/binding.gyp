{
  "targets": [
    {
      "target_name": "momentum_kernels",
      "sources": ["kernels.c"],
      "cflags": ["-O3", "-ffp-contract=off", "-fno-fast-math", "-std=c11"],
      "cflags!": ["-O2", "-O0"],
      "xcode_settings": { "OTHER_CFLAGS": ["-O3", "-ffp-contract=off"] },
      "msvs_settings": { "VCCLCompilerTool": { "FloatingPointModel": "0" } }
    }
  ]
}
