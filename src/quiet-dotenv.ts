// natural 8 calls require('dotenv').config() while loading; keep it from printing
// "injected env" lines on stdout (which the simulator reserves for replies).
process.env.DOTENV_CONFIG_QUIET ??= 'true';
export {};
