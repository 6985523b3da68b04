// Public entry point for the Brazilian validators and extractors.
export * from './document.js';
export * from './email.js';
export * from './phone.js';
export * from './pix.js';
export * from './datetime.js';
export * from './extract.js';
export { foldText } from './text.js';
