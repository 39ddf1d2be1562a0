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
});
