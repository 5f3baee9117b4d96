// Renders Chat message text and cardsV2 as DOM, safely: card text may carry
// the small HTML subset Chat allows (b, i, u, s, font color, a href, br);
// everything else becomes text. Reference of the card JSON:
// https://developers.google.com/workspace/chat/api/reference/rest/v1/cards

const ALLOWED = new Set(['B', 'I', 'U', 'S', 'STRIKE', 'STRONG', 'EM', 'BR', 'FONT', 'A']);

/** An element with a class and children (strings become text nodes). */
export function el(tag, className, ...children) {
  const node = document.createElement(tag);
  if (className) node.className = className;
  for (const child of children) {
    if (child === undefined || child === null || child === false) continue;
    node.append(typeof child === 'string' ? document.createTextNode(child) : child);
  }
  return node;
}

function safeUrl(url) {
  try {
    const parsed = new URL(url, location.href);
    return parsed.protocol === 'http:' || parsed.protocol === 'https:' ? parsed.href : undefined;
  } catch {
    return undefined;
  }
}

function copyAllowed(source, target) {
  for (const node of source.childNodes) {
    if (node.nodeType === Node.TEXT_NODE) {
      target.append(node.textContent);
    } else if (node.nodeType === Node.ELEMENT_NODE && ALLOWED.has(node.tagName)) {
      const copy = document.createElement(node.tagName === 'FONT' ? 'span' : node.tagName);
      if (node.tagName === 'FONT' && /^#?[0-9a-z]+$/i.test(node.getAttribute('color') ?? '')) {
        copy.style.color = node.getAttribute('color');
      }
      if (node.tagName === 'A') {
        const href = safeUrl(node.getAttribute('href') ?? '');
        if (href) copy.setAttribute('href', href);
        copy.setAttribute('target', '_blank');
        copy.setAttribute('rel', 'noopener');
      }
      copyAllowed(node, copy);
      target.append(copy);
    } else if (node.nodeType === Node.ELEMENT_NODE) {
      copyAllowed(node, target);
    }
  }
}

/** Card text: Chat's HTML subset, the rest as text. */
export function cardText(text) {
  const span = el('span', 'card-text');
  const parsed = new DOMParser().parseFromString(`<body>${text ?? ''}</body>`, 'text/html');
  copyAllowed(parsed.body, span);
  return span;
}

/** Message text with Chat's simple formatting: *bold*, _italic_, ~strike~, `code`, <url|label>. */
export function messageText(text) {
  const out = el('span', 'message-text');
  const pattern =
    /(\*[^*\n]+\*|_[^_\n]+_|~[^~\n]+~|`[^`\n]+`|<(https?:\/\/[^|>\s]+)(?:\|([^>]+))?>|<(users\/[^>]+)>)/g;
  let last = 0;
  for (const match of (text ?? '').matchAll(pattern)) {
    out.append(text.slice(last, match.index));
    const token = match[0];
    if (match[2]) {
      const link = el('a', '', match[3] ?? match[2]);
      link.href = match[2];
      link.target = '_blank';
      link.rel = 'noopener';
      out.append(link);
    } else if (match[4]) {
      out.append(el('span', 'mention', `@${match[4]}`));
    } else {
      const tag = { '*': 'b', _: 'i', '~': 's', '`': 'code' }[token[0]];
      out.append(el(tag, '', token.slice(1, -1)));
    }
    last = match.index + token.length;
  }
  out.append((text ?? '').slice(last));
  return out;
}

function parametersOf(action) {
  const out = {};
  for (const p of action?.parameters ?? [])
    if (p && typeof p.key === 'string') out[p.key] = String(p.value ?? '');
  return out;
}

function clickable(node, onClick, handlers) {
  if (!onClick) return node;
  if (onClick.action) {
    node.addEventListener('click', () =>
      handlers.onAction({
        function: onClick.action.function,
        parameters: parametersOf(onClick.action),
      }),
    );
  } else if (onClick.openLink?.url) {
    const url = safeUrl(onClick.openLink.url);
    node.addEventListener('click', () => url && window.open(url, '_blank', 'noopener'));
  } else if (onClick.card) {
    node.addEventListener('click', () => handlers.onDialog?.(onClick.card));
  }
  node.classList.add('clickable');
  return node;
}

function icon(spec) {
  if (!spec) return undefined;
  if (spec.iconUrl && safeUrl(spec.iconUrl)) {
    const img = el('img', 'icon');
    img.src = spec.iconUrl;
    img.alt = spec.altText ?? '';
    return img;
  }
  const name = spec.knownIcon ?? spec.materialIcon?.name;
  return name
    ? el('span', 'icon known', String(name).toLowerCase().replaceAll('_', ' '))
    : undefined;
}

function button(spec, handlers) {
  const node = el(
    'button',
    `card-button ${spec.type === 'OUTLINED' || spec.type === 'BORDERLESS' ? 'secondary' : ''}`,
  );
  node.type = 'button';
  const glyph = icon(spec.icon);
  if (glyph) node.append(glyph);
  node.append(spec.text ?? spec.altText ?? '');
  if (spec.disabled) node.disabled = true;
  if (spec.color && spec.type !== 'OUTLINED') {
    const { red = 0, green = 0, blue = 0 } = spec.color;
    node.style.background = `rgb(${red * 255}, ${green * 255}, ${blue * 255})`;
    node.style.color = '#fff';
  }
  return clickable(node, spec.onClick, handlers);
}

function widget(w, handlers) {
  if (w.textParagraph) return el('div', 'w-text', cardText(w.textParagraph.text));
  if (w.decoratedText) {
    const d = w.decoratedText;
    const body = el(
      'div',
      'w-decorated-body',
      d.topLabel ? el('div', 'label', cardText(d.topLabel)) : undefined,
      el('div', 'value', cardText(d.text)),
      d.bottomLabel ? el('div', 'label', cardText(d.bottomLabel)) : undefined,
    );
    const node = el('div', 'w-decorated', icon(d.startIcon ?? d.icon), body);
    if (d.button) node.append(button(d.button, handlers));
    if (d.switchControl) {
      const toggle = el('input', 'switch');
      toggle.type = 'checkbox';
      toggle.checked = Boolean(d.switchControl.selected);
      toggle.setAttribute('aria-label', d.text ?? d.topLabel ?? 'switch');
      const action = d.switchControl.onChangeAction;
      if (action) {
        toggle.addEventListener('change', () =>
          handlers.onAction({ function: action.function, parameters: parametersOf(action) }),
        );
      }
      node.append(toggle);
    }
    return clickable(node, d.onClick, handlers);
  }
  if (w.buttonList)
    return el('div', 'w-buttons', ...(w.buttonList.buttons ?? []).map((b) => button(b, handlers)));
  if (w.image) {
    const img = el('img', 'w-image');
    if (safeUrl(w.image.imageUrl ?? '')) img.src = w.image.imageUrl;
    img.alt = w.image.altText ?? 'image';
    return clickable(img, w.image.onClick, handlers);
  }
  if (w.divider) return el('hr', 'w-divider');
  if (w.columns) {
    return el(
      'div',
      'w-columns',
      ...(w.columns.columnItems ?? []).map((c) =>
        el('div', 'column', ...(c.widgets ?? []).map((x) => widget(x, handlers))),
      ),
    );
  }
  if (w.chipList) {
    return el(
      'div',
      'w-buttons',
      ...(w.chipList.chips ?? []).map((c) =>
        button({ text: c.label, onClick: c.onClick, type: 'OUTLINED' }, handlers),
      ),
    );
  }
  if (w.textInput) {
    const input = el('input', 'w-input');
    input.placeholder = w.textInput.label ?? w.textInput.name ?? '';
    input.disabled = true;
    return el('label', 'w-field', w.textInput.label ?? '', input);
  }
  if (w.selectionInput) {
    const items = (w.selectionInput.items ?? []).map((i) => `${i.selected ? '☑' : '☐'} ${i.text}`);
    return el(
      'div',
      'w-field',
      el('div', 'label', w.selectionInput.label ?? ''),
      ...items.map((t) => el('div', '', t)),
    );
  }
  if (w.grid) {
    return el(
      'div',
      'w-grid',
      ...(w.grid.items ?? []).map((i) =>
        el(
          'div',
          'grid-item',
          i.title ?? '',
          i.subtitle ? el('div', 'label', i.subtitle) : undefined,
        ),
      ),
    );
  }
  return el('div', 'w-unknown', `(${Object.keys(w).join(', ')} widget)`);
}

/** One card: header, sections of widgets, fixed footer. */
export function renderCard(card, handlers) {
  const node = el('div', 'card');
  if (card.header) {
    const h = card.header;
    let avatar;
    if (h.imageUrl && safeUrl(h.imageUrl)) {
      avatar = el('img', h.imageType === 'CIRCLE' ? 'avatar circle' : 'avatar');
      avatar.src = h.imageUrl;
      avatar.alt = h.imageAltText ?? '';
    }
    node.append(
      el(
        'div',
        'card-header',
        avatar,
        el(
          'div',
          '',
          el('div', 'card-title', cardText(h.title)),
          h.subtitle ? el('div', 'card-subtitle', cardText(h.subtitle)) : undefined,
        ),
      ),
    );
  }
  for (const section of card.sections ?? []) {
    const part = el('div', 'card-section');
    if (section.header) part.append(el('div', 'section-header', cardText(section.header)));
    for (const w of section.widgets ?? []) part.append(widget(w, handlers));
    node.append(part);
  }
  const footer = card.fixedFooter;
  if (footer) {
    node.append(
      el(
        'div',
        'card-footer',
        ...[footer.secondaryButton, footer.primaryButton]
          .filter(Boolean)
          .map((b) => button(b, handlers)),
      ),
    );
  }
  return node;
}

/** Every card of a message's cardsV2. */
export function renderCards(cardsV2, handlers) {
  const cards = (cardsV2 ?? []).map((c) => {
    const node = renderCard(c.card ?? {}, handlers);
    if (c.cardId) node.dataset.cardId = c.cardId;
    return node;
  });
  return el('div', 'cards', ...cards);
}
