/** An integration's HTML body as text: tags gone (scripts with their content), entities decoded, nothing parsed into a DOM. */
import { htmlText } from './html-text';

it.each([
  ['<b>build</b> passed', 'build passed'],
  ['<img src=x onerror="alert(1)">compiling', 'compiling'],
  ['<script>alert(1)</script>after', 'after'],
  ['one<br>two<p>three</p>four', 'one\ntwo\nthree\nfour'],
  ['a &lt;b&gt; &amp; &quot;c&quot; &#39;d&#39; &#x263A;', 'a <b> & "c" \'d\' ☺'],
  ['&bogus; &#0; stays', '&bogus; &#0; stays'],
])('%s', (html, text) => {
  expect(htmlText(html)).toBe(text);
});
