// WhatsApp formatting cases: the server renderer (src/http/whatsapp-format.ts) and the page's
// live preview (src/http/static/panel.js) must both give these.
export const FORMAT_CASES: Array<[string, string]> = [
  ['Protocolo *FIN-000123*.', 'Protocolo <strong>FIN-000123</strong>.'],
  ['*negrito* e _itálico_ e ~riscado~', '<strong>negrito</strong> e <em>itálico</em> e <s>riscado</s>'],
  ['*valor _importante_*', '<strong>valor <em>importante</em></strong>'],
  ['Linha: ```34191.79001 01043.510047```', 'Linha: <code>34191.79001 01043.510047</code>'],
  ['snake_case_name e 2*3*4', 'snake_case_name e 2*3*4'],
  ['* não é negrito *', '* não é negrito *'],
  ['*duas\nlinhas*', '*duas\nlinhas*'],
  ['<img src=x onerror=alert(1)> *<b>oi</b>*', '&lt;img src=x onerror=alert(1)&gt; <strong>&lt;b&gt;oi&lt;/b&gt;</strong>'],
  ['"aspas" & \'apóstrofo\' `crase`', '&quot;aspas&quot; &amp; &#39;apóstrofo&#39; &#96;crase&#96;'],
  ['(*entre parênteses*)', '(<strong>entre parênteses</strong>)'],
];
