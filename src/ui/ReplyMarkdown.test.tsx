import { renderToStaticMarkup } from 'react-dom/server';
import { describe, expect, it } from 'vitest';
import { ReplyMarkdown } from './ReplyMarkdown';

const html = (text: string, streaming = false) => renderToStaticMarkup(<ReplyMarkdown text={text} streaming={streaming} />);

describe('a reply as markdown', () => {
  it('renders emphasis, lists, code and tables', () => {
    const out = html('Mars has **two** moons:\n\n- Phobos\n- Deimos\n\n```\nlet x = 1;\n```\n\n| Moon | km |\n|---|---|\n| Phobos | 22 |');
    expect(out).toContain('<strong>two</strong>');
    expect(out).toContain('<li>Phobos</li>');
    expect(out).toContain('<pre><code>let x = 1;\n</code></pre>');
    expect(out).toContain('<td>Phobos</td>');
  });

  it('shows raw HTML as text, never as elements', () => {
    const out = html('<img src=x onerror="alert(1)"> and <script>alert(2)</script>');
    expect(out).not.toMatch(/<img|<script/);
    expect(out).toContain('&lt;img src=x onerror=&quot;alert(1)&quot;&gt;');
  });

  it('keeps links that run script or carry data as plain text, and says where the others go', () => {
    const out = html('[run](javascript:alert(1)) [data](data:text/html,x) [docs](https://example.org/guide)');
    expect(out).not.toContain('javascript:');
    expect(out).not.toContain('data:text');
    expect(out.match(/<a /g)).toHaveLength(1);
    expect(out).toContain('href="https://example.org/guide" target="_blank" rel="noopener noreferrer nofollow" title="Opens example.org in a new tab"');
    expect(out).toContain('(example.org)');
  });

  it('shows an image as its description, never fetching it', () => {
    const out = html('![a cat](https://tracker.example/cat.png)');
    expect(out).not.toContain('tracker.example');
    expect(out).toContain('[a cat]');
  });

  it('while streaming, an unfinished ** is closed rather than shown as typed', () => {
    expect(html('Mars has **two', true)).toContain('<strong>two</strong>');
    expect(html('Mars has **two', false)).toContain('**two');
  });

  it('while streaming, only the last block is closed: an earlier one shows what it says', () => {
    const out = html('Use `a * b` where **a**\n\nand **b', true);
    expect(out).toContain('<code>a * b</code> where <strong>a</strong>');
    expect(out).toContain('and <strong>b</strong>');
  });

  it('an ordered list split by blank lines keeps its numbers', () => {
    const out = html('1. one\n\n2. two\n\n3. three');
    expect(out).toContain('<ol start="2">');
    expect(out).toContain('<ol start="3">');
  });
});

describe('an interrupted reply', () => {
  it('strikes through only the words not heard, inside the reply’s own paragraphs and list', () => {
    const reply = 'Mars has **two** moons. Here is why:\n\n- Phobos\n- Deimos';
    const out = html2(reply, reply.indexOf('why'));
    // One paragraph: the cut falls inside it, not before a new one.
    expect(out.match(/<p>/g)).toHaveLength(1);
    expect(out).toContain('<p>Mars has <strong>two</strong> moons. Here is <span class="reply-unheard" title="Not heard: you spoke over it">why:</span></p>');
    expect(out).toContain('<li><span class="reply-unheard" title="Not heard: you spoke over it">Phobos</span></li>');
  });

  it('a cut before a space strikes through the words after it, not the space', () => {
    const reply = 'Here is why: it rained.';
    const out = html2(reply, reply.indexOf(' is'));
    expect(out).toContain('<p>Here <span class="reply-unheard" title="Not heard: you spoke over it">is why: it rained.</span></p>');
  });

  it('a cut in a later block leaves the blocks before it as heard', () => {
    const reply = 'First part.\n\nSecond part.\n\nThird part.';
    const out = html2(reply, reply.indexOf('part.', reply.indexOf('Second')));
    expect(out).toContain('<p>First part.</p>');
    expect(out).toContain('<p>Second <span class="reply-unheard" title="Not heard: you spoke over it">part.</span></p>');
    expect(out).toContain('<p><span class="reply-unheard" title="Not heard: you spoke over it">Third part.</span></p>');
  });

  it('a cut inside bold text strikes through the rest of it, still bold', () => {
    const reply = 'It has **two small moons** only.';
    const out = html2(reply, reply.indexOf('small'));
    expect(out).toContain('<strong>two <span class="reply-unheard" title="Not heard: you spoke over it">small moons</span></strong>');
  });
});

function html2(text: string, unheardFrom: number): string {
  return renderToStaticMarkup(<ReplyMarkdown text={text} streaming={false} unheardFrom={unheardFrom} />);
}
