import { describe, expect, it } from '@jest/globals';
import { whatsappHtml } from '../../src/http/whatsapp-format.js';
import { FORMAT_CASES } from './format-cases.js';

describe('WhatsApp formatting on the panel', () => {
  it.each(FORMAT_CASES)('%j', (text, expected) => {
    expect(whatsappHtml(text).value).toBe(expected);
  });
});
