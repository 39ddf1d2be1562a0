import type { Element, ElementContent, Root, RootContent } from 'hast';

/**
 * Marks the words of a reply the user did not hear: every piece of text at or after `from` (an
 * offset into the reply's markdown source) is wrapped in a struck-through span, inside whatever
 * paragraph, list item or emphasis holds it, so the reply keeps its one layout.
 */
export function rehypeUnheard(from: number) {
  return (tree: Root): void => {
    mark(tree, from);
  };
}

const unheard = (value: string): Element => ({ type: 'element', tagName: 'span', properties: { className: ['reply-unheard'], title: 'Not heard: you spoke over it' }, children: [{ type: 'text', value }] });

function mark(parent: Root | Element, from: number): void {
  const children: (RootContent | ElementContent)[] = [];
  for (const child of parent.children) {
    if (child.type === 'element') mark(child, from);
    const start = child.position?.start.offset;
    const end = child.position?.end.offset;
    // Whitespace between blocks (list items, paragraphs) is layout, not words.
    if (child.type !== 'text' || start === undefined || end === undefined || end <= from || child.value.trim() === '') {
      children.push(child);
      continue;
    }
    // A text that starts before the cut is split where it falls (its source and its text agree there, but for escapes).
    let at = Math.max(0, Math.min(child.value.length, from - start));
    // The space before the first word not heard was heard, as far as the eye is concerned.
    while (at < child.value.length && /\s/.test(child.value[at] ?? '')) at++;
    if (at > 0) children.push({ type: 'text', value: child.value.slice(0, at) });
    if (at < child.value.length) children.push(unheard(child.value.slice(at)));
  }
  parent.children = children;
}
