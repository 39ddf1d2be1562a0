import { describe, expect, it } from 'vitest';
import { linkDestination, safeHref } from './replyLinks';

describe('a link in a reply', () => {
  it('may lead to a web page or an e-mail address', () => {
    expect(safeHref('https://example.org/a?b=1')).toBe('https://example.org/a?b=1');
    expect(safeHref(' http://example.org ')).toBe('http://example.org/');
    expect(safeHref('mailto:someone@example.org')).toBe('mailto:someone@example.org');
  });

  it('never runs script, carries data or stays relative to the page', () => {
    for (const url of ['javascript:alert(1)', 'JaVaScRiPt:alert(1)', ' javascript:alert(1)', 'data:text/html,<script>alert(1)</script>', 'vbscript:x', 'file:///etc/passwd', '/settings', '#x', '//evil.example/x', 'blob:https://x/y', '']) {
      expect(safeHref(url), url).toBeNull();
    }
  });

  it('says where it goes: the host, or the address for mail', () => {
    expect(linkDestination('https://www.example.org:8443/path')).toBe('www.example.org:8443');
    expect(linkDestination('mailto:someone@example.org')).toBe('someone@example.org');
  });
});
