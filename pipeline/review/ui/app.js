// broadsheet review: the web UI over `broadsheet serve`'s JSON API. Plain JavaScript, no build
// step. State lives in the URL hash: #/issue/<id>/<page>/<article> and #/search/<query>.
'use strict';

const LOW_CONFIDENCE = 0.8;  // lines read with less confidence are marked
const $ = (sel, root = document) => root.querySelector(sel);
const esc = (s) => String(s ?? '').replace(/[&<>"']/g, (c) => ({'&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;'}[c]));
const enc = encodeURIComponent;

const state = {issues: [], issue: null, page: 1, article: null, dirty: false, moving: false, image: null};

async function api(method, path, body) {
  const init = {method, headers: {}};
  if (body !== undefined) {
    init.headers['Content-Type'] = 'application/json';
    init.body = JSON.stringify(body);
  }
  const res = await fetch(path, init);
  const data = await res.json().catch(() => ({error: 'HTTP ' + res.status}));
  if (!res.ok) throw new Error(data.error || ('HTTP ' + res.status));
  return data;
}

function issuePath(id) { return '/api/issues/' + enc(id); }
function hueOf(articleId) {
  const ids = (state.issue?.articles || []).map((a) => a.id);
  const i = ids.indexOf(articleId);
  return i < 0 ? 0 : (i * 137.508) % 360;
}
function currentPage() { return state.issue?.pages.find((p) => p.page === state.page) || state.issue?.pages[0]; }
function articleById(id) { return state.issue?.articles.find((a) => a.id === id); }
function regionById(id) {
  for (const p of state.issue?.pages || []) for (const r of p.regions) if (r.id === id) return [p, r];
  return [null, null];
}
function editorName() { return $('#editor').value.trim(); }

// ---- issues by date -------------------------------------------------------------------------

async function loadIssues() {
  const data = await api('GET', '/api/issues');
  state.issues = data.issues;
  renderIssueList();
}

function renderIssueList() {
  const byDate = new Map();
  for (const i of state.issues) {
    const d = i.date || 'undated';
    if (!byDate.has(d)) byDate.set(d, []);
    byDate.get(d).push(i);
  }
  let html = '';
  for (const [date, list] of byDate) {
    html += `<h3>${esc(date)}</h3>`;
    for (const i of list) {
      const cur = state.issue && state.issue.issue.id === i.id ? ' current' : '';
      const conflicts = i.conflicts ? ` <span class="badge conflict" title="conflicts to review">${i.conflicts}</span>` : '';
      const fixed = i.corrections ? ` <span class="badge ok" title="corrections applied">${i.corrections}</span>` : '';
      html += `<a class="issue${cur}" href="#/issue/${enc(i.id)}/1">${esc(i.newspaper || i.id)}${i.number ? ' 第' + esc(i.number) + '期' : ''}<br><small>${esc(i.id)}</small>${fixed}${conflicts}</a>`;
    }
  }
  $('#issues').innerHTML = html || '<p class="hint">No issue.json under this output folder.</p>';
}

// ---- one issue, one page --------------------------------------------------------------------

async function openIssue(id, page, articleId) {
  if (!state.issue || state.issue.issue.id !== id) {
    state.issue = await api('GET', issuePath(id));
    renderIssueList();
  }
  state.page = page || state.issue.pages[0]?.page || 1;
  renderPage();
  if (articleId && articleById(articleId)) openArticle(articleId, false);
  else closePanel(false);
}

function renderConflicts() {
  const conflicts = state.issue.provenance?.review?.conflicts || [];
  if (!conflicts.length) return '';
  let html = `<div class="conflicts" id="conflicts"><strong>${conflicts.length} correction(s) to review</strong> — kept, never dropped:<ul>`;
  for (const c of conflicts) {
    const where = c.matched_article ? `on <a href="#/issue/${enc(state.issue.issue.id)}/${state.page}/${enc(c.matched_article)}">${esc(c.matched_article)}</a>` : `(was ${esc(c.article_id)}, not found)`;
    const what = c.kind === 'field' ? `${esc(c.field)} «${esc(String(c.value ?? '').slice(0, 40))}»` : esc(c.kind);
    html += `<li>#${c.id} ${what} ${where} by ${esc(c.editor || 'anonymous')}: ${esc(c.reason)}
      ${c.kind === 'field' ? `<button data-accept="${c.id}" title="Keep this text on ${esc(c.matched_article || 'the open article')}">Keep mine${c.matched_article ? '' : ' on open article'}</button>` : ''}
      <button data-dismiss="${c.id}" title="Use the OCR; the correction stays in history">Use OCR</button></li>`;
  }
  return html + '</ul></div>';
}

function renderPage() {
  const issue = state.issue;
  const page = currentPage();
  if (!page) { $('#view').innerHTML = '<p>This issue has no pages.</p>'; return; }
  state.page = page.page;
  let bar = `<div class="pagebar"><strong>${esc(issue.issue.newspaper || issue.issue.id)}</strong> ${esc(issue.issue.date || '')}`;
  for (const p of issue.pages) bar += `<button data-page="${p.page}" class="${p.page === page.page ? 'current' : ''}">${p.page}版</button>`;
  bar += `<span class="note">${issue.articles.length} articles · click a region to edit its article</span></div>`;
  const W = page.width || 1, H = page.height || 1;
  const pct = (b) => `left:${(100 * b[0] / W).toFixed(3)}%;top:${(100 * b[1] / H).toFixed(3)}%;width:${(100 * b[2] / W).toFixed(3)}%;height:${(100 * b[3] / H).toFixed(3)}%`;
  let overlays = '';
  for (const r of page.regions) {
    const aid = r.article_id;
    const cls = aid ? '' : ' none';
    const sel = aid && aid === state.article ? ' selected' : '';
    overlays += `<div class="region${cls}${sel}" style="--hue:${hueOf(aid)};${pct(r.bbox)}" data-region="${esc(r.id)}" data-article="${esc(aid || '')}" title="${esc(r.kind)} ${esc(r.id)}${aid ? ' → ' + esc(aid) : ''} (confidence ${(r.confidence ?? 1).toFixed(2)})"><span class="tag">${esc(aid || r.kind)}</span></div>`;
    for (const l of r.lines || [])
      if ((l.confidence ?? 1) < LOW_CONFIDENCE) overlays += `<div class="lowconf" style="${pct(l.bbox)}" title="confidence ${l.confidence.toFixed(2)}"></div>`;
  }
  // A page of a multi-page TIFF or PDF names its file and its frame (0-based): served as PNG.
  const frame = Number.isInteger(page.frame) ? `?frame=${page.frame}` : '';
  const src = `/scans/${enc(issue.issue.id)}/${enc(page.image)}${frame}`;
  $('#view').innerHTML = bar + renderConflicts() +
    `<div class="page${state.moving ? ' moving' : ''}" id="page"><img id="scan" alt="scan of page ${page.page}" src="${src}">${overlays}</div>`;
  state.image = $('#scan');
  state.image.addEventListener('load', drawCrop);
}

function setHash(replace) {
  const id = state.issue.issue.id;
  const h = `#/issue/${enc(id)}/${state.page}` + (state.article ? '/' + enc(state.article) : '');
  if (location.hash === h) return;
  if (replace) history.replaceState(null, '', h); else history.pushState(null, '', h);
}

// ---- the article panel ----------------------------------------------------------------------

function lowConfidenceTexts(article) {
  const out = [];
  for (const part of article.parts || [])
    for (const rid of part.region_ids) {
      const [, r] = regionById(rid);
      for (const l of r?.lines || []) if ((l.confidence ?? 1) < LOW_CONFIDENCE && l.text.length >= 2) out.push(l.text);
    }
  return out;
}

function highlight(text, marks) {
  const spans = [];
  for (const m of marks) {
    let at = text.indexOf(m);
    while (at >= 0) { spans.push([at, at + m.length]); at = text.indexOf(m, at + m.length); }
  }
  spans.sort((a, b) => a[0] - b[0]);
  let html = '', pos = 0;
  for (const [s, e] of spans) {
    if (s < pos) continue;
    html += esc(text.slice(pos, s)) + '<mark>' + esc(text.slice(s, e)) + '</mark>';
    pos = e;
  }
  return html + esc(text.slice(pos)) + '\n';
}

function openArticle(id, push = true) {
  const a = articleById(id);
  if (!a) return;
  if (state.dirty && state.article !== id && !confirm('Discard unsaved changes to ' + state.article + '?')) return;
  state.article = id;
  state.dirty = false;
  if (!(a.pages || []).includes(state.page) && a.pages?.length) { state.page = a.pages[0]; renderPage(); }
  for (const el of document.querySelectorAll('.region')) el.classList.toggle('selected', el.dataset.article === id);
  renderPanel(a);
  setHash(!push);
}

function renderPanel(a) {
  const ocr = a.ocr || {};
  const corrections = a.corrections || [];
  const others = state.issue.articles.filter((b) => b.id !== a.id);
  const regions = (a.parts || []).flatMap((p) => p.region_ids);
  const field = (name, label) => `<label for="f-${name}">${label}${name in ocr ? ' <span class="badge ok" title="corrected">✓</span>' : ''}</label><input type="text" id="f-${name}" value="${esc(a[name] ?? '')}">`;
  $('#panel').hidden = false;
  $('#panel').innerHTML = `
    <h2>${esc(a.id)} <small>${esc(a.kind)} · ${a.pages?.map((p) => p + '版').join(' ') || ''} · confidence ${(a.confidence ?? 1).toFixed(2)}</small></h2>
    <div class="editor-grid"><div class="crop-box"><canvas class="crop" id="crop" width="10" height="10" title="the article on this page; red lines were read with low confidence"></canvas></div><div class="fields">
    ${field('headline', 'Headline 標題')}
    ${field('subheadline', 'Subheadline 副題')}
    ${field('byline', 'Byline 作者')}
    <label for="f-text">Text 正文 ${'text' in ocr ? '<span class="badge ok" title="corrected">✓</span>' : ''} <span class="note">(marked: read with confidence &lt; ${LOW_CONFIDENCE})</span></label>
    <div class="hl-wrap"><div class="hl-backdrop" id="hl"></div><textarea id="f-text" spellcheck="false">${esc(a.text)}</textarea></div>
    <div class="actions"><button class="primary" id="save" title="Ctrl+S">Save</button><span id="status"></span></div>
    ${Object.keys(ocr).length ? `<details><summary>OCR original</summary>${Object.entries(ocr).map(([k, v]) => `<div><strong>${esc(k)}</strong><div class="ocr">${esc(v ?? '(none)')}</div></div>`).join('')}</details>` : ''}
    ${corrections.length ? `<details><summary>${corrections.length} correction(s)</summary><ul>${corrections.map((c) => `<li>#${c.id} ${esc(c.kind)} ${esc(c.field || '')} ${esc(c.status)} ${esc(c.editor || '')} ${esc(c.time)} ${esc(c.reason || '')}</li>`).join('')}</ul></details>` : ''}
    <details id="structure"><summary>Structure: merge, split, move, link, unlink</summary>
      <div class="actions"><select id="merge-from">${others.map((b) => `<option value="${esc(b.id)}">${esc(b.id)} ${esc((b.headline || b.text || '').slice(0, 16))}</option>`).join('')}</select>
      <button id="merge">Merge into ${esc(a.id)}</button></div>
      <div class="actions">${regions.map((r) => `<label><input type="checkbox" class="split-region" value="${esc(r)}"> ${esc(r)}</label>`).join(' ')}
      <button id="split">Split checked into a new article</button></div>
      <div class="actions"><select id="link-to">${others.map((b) => `<option value="${esc(b.id)}">${esc(b.id)} ${(b.pages || []).map((p) => p + '版').join(' ')} ${esc((b.headline || b.text || '').slice(0, 14))}</option>`).join('')}</select>
      <button id="link">Link as continuation of ${esc(a.id)}</button></div>
      ${(a.pages || []).length > 1 ? `<div class="actions"><select id="unlink-page">${a.pages.map((p) => `<option value="${p}">${p}版</option>`).join('')}</select><button id="unlink">Unlink the part on this page</button></div>` : ''}
      <div class="actions"><button id="move">Move a region here…</button><span class="note">then click a region of another article on the page</span></div>
    </details></div></div>`;
  const text = $('#f-text'), hl = $('#hl');
  const marks = lowConfidenceTexts(a);
  const sync = () => { hl.innerHTML = highlight(text.value, marks); hl.scrollTop = text.scrollTop; };
  text.addEventListener('input', sync);
  text.addEventListener('scroll', () => { hl.scrollTop = text.scrollTop; });
  sync();
  for (const el of document.querySelectorAll('#panel input[type=text], #panel textarea'))
    el.addEventListener('input', () => { state.dirty = true; setStatus('unsaved changes', 'dirty'); });
  $('#save').addEventListener('click', save);
  $('#merge').addEventListener('click', () => structural('merge'));
  $('#split').addEventListener('click', () => structural('split'));
  $('#link').addEventListener('click', () => structural('link'));
  $('#unlink')?.addEventListener('click', () => structural('unlink'));
  $('#move').addEventListener('click', () => { state.moving = true; $('#page')?.classList.add('moving'); setStatus('click the region to move into ' + a.id + ' (Esc cancels)', 'dirty'); });
  drawCrop();
}

function drawCrop() {
  const a = articleById(state.article);
  const canvas = $('#crop');
  const img = state.image;
  if (!a || !canvas || !img || !img.complete || !img.naturalWidth) return;
  const page = currentPage();
  const boxes = [];
  for (const part of a.parts || []) for (const rid of part.region_ids) {
    const [p, r] = regionById(rid);
    if (p === page && r) boxes.push(r);
  }
  if (!boxes.length) { canvas.width = 1; canvas.height = 1; return; }
  const x0 = Math.min(...boxes.map((r) => r.bbox[0])), y0 = Math.min(...boxes.map((r) => r.bbox[1]));
  const x1 = Math.max(...boxes.map((r) => r.bbox[0] + r.bbox[2])), y1 = Math.max(...boxes.map((r) => r.bbox[1] + r.bbox[3]));
  const sx = img.naturalWidth / (page.width || img.naturalWidth), sy = img.naturalHeight / (page.height || img.naturalHeight);
  const scale = Math.min(1, 520 / ((x1 - x0) || 1));
  canvas.width = Math.max(1, Math.round((x1 - x0) * scale));
  canvas.height = Math.max(1, Math.round((y1 - y0) * scale));
  const ctx = canvas.getContext('2d');
  ctx.drawImage(img, x0 * sx, y0 * sy, (x1 - x0) * sx, (y1 - y0) * sy, 0, 0, canvas.width, canvas.height);
  ctx.strokeStyle = 'rgba(220,0,0,.9)';
  ctx.lineWidth = 2;
  for (const r of boxes) for (const l of r.lines || [])
    if ((l.confidence ?? 1) < LOW_CONFIDENCE) ctx.strokeRect((l.bbox[0] - x0) * scale, (l.bbox[1] - y0) * scale, l.bbox[2] * scale, l.bbox[3] * scale);
}

function setStatus(msg, cls) {
  const s = $('#status');
  if (!s) return;
  s.textContent = msg;
  s.className = cls || '';
}

async function save() {
  const a = articleById(state.article);
  if (!a) return;
  const body = {editor: editorName()};
  for (const f of ['headline', 'subheadline', 'byline']) body[f] = $('#f-' + f).value;
  body.text = $('#f-text').value;
  setStatus('saving…');
  try {
    const r = await api('PUT', issuePath(state.issue.issue.id) + '/articles/' + enc(a.id), body);
    await reloadIssue();
    state.dirty = false;
    setStatus(`Saved (${r.saved} field${r.saved === 1 ? '' : 's'}) ${new Date().toLocaleTimeString()}`, 'saved');
  } catch (e) {
    setStatus('Not saved: ' + e.message, 'error');
  }
}

async function reloadIssue(keep = true) {
  const id = state.issue.issue.id;
  state.issue = await api('GET', issuePath(id));
  renderPage();
  const status = $('#status')?.textContent, cls = $('#status')?.className;
  if (keep && state.article && articleById(state.article)) { state.dirty = false; openArticle(state.article, false); setStatus(status, cls); }
  else closePanel(false);
  loadIssues();
}

async function structural(kind, regionId) {
  const id = state.issue.issue.id, a = state.article;
  try {
    let r;
    if (kind === 'merge') r = await api('POST', `${issuePath(id)}/articles/${enc(a)}/merge`, {from: $('#merge-from').value, editor: editorName()});
    if (kind === 'split') {
      const regions = [...document.querySelectorAll('.split-region:checked')].map((e) => e.value);
      if (!regions.length) return setStatus('check the regions to split off first', 'error');
      r = await api('POST', `${issuePath(id)}/articles/${enc(a)}/split`, {regions, editor: editorName()});
    }
    if (kind === 'link') r = await api('POST', `${issuePath(id)}/articles/${enc(a)}/link`, {continuation: $('#link-to').value, editor: editorName()});
    if (kind === 'unlink') r = await api('POST', `${issuePath(id)}/articles/${enc(a)}/unlink`, {page: Number($('#unlink-page').value), editor: editorName()});
    if (kind === 'move') r = await api('POST', `${issuePath(id)}/regions/${enc(regionId)}/move`, {to: a, editor: editorName()});
    await reloadIssue();
    setStatus(r.conflict ? 'Saved with a conflict: ' + r.reason : 'Saved ' + kind, r.conflict ? 'error' : 'saved');
  } catch (e) {
    setStatus('Not saved: ' + e.message, 'error');
  }
}

function closePanel(push = true) {
  if (state.dirty && !confirm('Discard unsaved changes to ' + state.article + '?')) return;
  state.article = null;
  state.dirty = false;
  state.moving = false;
  $('#panel').hidden = true;
  $('#panel').innerHTML = '';
  for (const el of document.querySelectorAll('.region.selected')) el.classList.remove('selected');
  if (state.issue && push) setHash(false);
}

// ---- search ---------------------------------------------------------------------------------

async function runSearch(q) {
  $('#q').value = q;
  $('#panel').hidden = true;
  $('#view').innerHTML = '<p class="hint">Searching…</p>';
  try {
    const r = await api('GET', '/api/search?q=' + enc(q));
    let html = `<h2>${r.hits.length} result(s) for «${esc(q)}»</h2><ul class="hits">`;
    for (const h of r.hits) {
      const [s, n] = h.highlight;
      const chars = [...h.snippet];
      const snip = esc(chars.slice(0, s).join('')) + '<mark>' + esc(chars.slice(s, s + n).join('')) + '</mark>' + esc(chars.slice(s + n).join(''));
      html += `<li><a href="#/issue/${enc(h.issue)}/${h.page}/${enc(h.article)}"><strong>${esc(h.headline)}</strong></a>
        <div class="meta">${esc(h.newspaper)} ${esc(h.date)} · ${esc(h.issue)} · ${h.page}版 · ${esc(h.article)}</div><div>${snip}</div></li>`;
    }
    $('#view').innerHTML = html + '</ul>';
  } catch (e) {
    $('#view').innerHTML = `<p class="error">${esc(e.message)}</p>`;
  }
}

// ---- routing and keys -----------------------------------------------------------------------

async function route() {
  const parts = location.hash.replace(/^#\/?/, '').split('/');
  try {
    if (parts[0] === 'issue' && parts[1]) {
      await openIssue(decodeURIComponent(parts[1]), Number(parts[2]) || 0, parts[3] ? decodeURIComponent(parts[3]) : null);
    } else if (parts[0] === 'search' && parts[1]) {
      await runSearch(decodeURIComponent(parts[1]));
    } else {
      state.issue = null;
      renderIssueList();
      $('#view').innerHTML = '<p class="hint">Choose an issue on the left, or search.</p>';
      closePanel(false);
    }
  } catch (e) {
    $('#view').innerHTML = `<p class="error">${esc(e.message)}</p>`;
  }
}

function articlesOnPage() {
  const page = currentPage();
  const seen = [];
  for (const r of page?.regions || []) if (r.article_id && !seen.includes(r.article_id)) seen.push(r.article_id);
  return seen;
}

function step(delta) {
  const list = articlesOnPage();
  if (!list.length) return;
  const i = list.indexOf(state.article);
  const next = list[(i < 0 ? (delta > 0 ? 0 : list.length - 1) : (i + delta + list.length) % list.length)];
  openArticle(next);
  document.querySelector(`.region[data-article="${CSS.escape(next)}"]`)?.scrollIntoView({block: 'nearest'});
}

function turnPage(delta) {
  if (!state.issue) return;
  const pages = state.issue.pages.map((p) => p.page);
  const i = pages.indexOf(state.page);
  const next = pages[Math.min(pages.length - 1, Math.max(0, i + delta))];
  if (next !== state.page) { closePanel(false); state.page = next; renderPage(); setHash(false); }
}

document.addEventListener('keydown', (e) => {
  const typing = /^(INPUT|TEXTAREA|SELECT)$/.test(document.activeElement?.tagName);
  if ((e.ctrlKey || e.metaKey) && e.key.toLowerCase() === 's') { e.preventDefault(); if (state.article) save(); return; }
  if (e.key === 'Escape') {
    if (state.moving) { state.moving = false; $('#page')?.classList.remove('moving'); setStatus(''); return; }
    if (typing) { document.activeElement.blur(); return; }
    if (state.article) closePanel();
    $('#help-box')?.remove();
    return;
  }
  if (typing || e.ctrlKey || e.metaKey || e.altKey) return;
  if (e.key === 'j') step(1);
  else if (e.key === 'k') step(-1);
  else if (e.key === ']') turnPage(1);
  else if (e.key === '[') turnPage(-1);
  else if (e.key === 'Enter' && state.article) { e.preventDefault(); $('#f-text')?.focus(); }
  else if (e.key === '/') { e.preventDefault(); $('#q').focus(); }
  else if (e.key === '?') {
    if ($('#help-box')) { $('#help-box').remove(); return; }
    const box = document.createElement('div');
    box.id = 'help-box';
    box.innerHTML = '<strong>Keys</strong><br>j / k: next / previous article on the page<br>[ / ]: previous / next page<br>Enter: edit the open article\'s text<br>Ctrl+S: save<br>Esc: leave a field, close the article<br>/: search';
    document.body.appendChild(box);
  }
});

document.addEventListener('click', (e) => {
  const page = e.target.closest('[data-page]');
  if (page) { closePanel(false); state.page = Number(page.dataset.page); renderPage(); setHash(false); return; }
  const region = e.target.closest('.region');
  if (region) {
    if (state.moving && state.article) {
      state.moving = false;
      if (region.dataset.article !== state.article) structural('move', region.dataset.region);
      return;
    }
    if (region.dataset.article) openArticle(region.dataset.article);
    return;
  }
  const accept = e.target.closest('[data-accept]');
  const dismiss = e.target.closest('[data-dismiss]');
  if (accept || dismiss) {
    const cid = (accept || dismiss).dataset.accept || (accept || dismiss).dataset.dismiss;
    const body = accept ? {action: 'accept', article: state.article || undefined} : {action: 'dismiss'};
    api('POST', `${issuePath(state.issue.issue.id)}/corrections/${cid}`, body).then(() => reloadIssue()).catch((err) => alert(err.message));
  }
});

$('#search-form').addEventListener('submit', (e) => {
  e.preventDefault();
  const q = $('#q').value.trim();
  if (q) location.hash = '#/search/' + enc(q);
});
$('#editor').value = localStorage.getItem('broadsheet.editor') || '';
$('#editor').addEventListener('change', () => localStorage.setItem('broadsheet.editor', editorName()));
window.addEventListener('hashchange', route);
window.addEventListener('beforeunload', (e) => { if (state.dirty) { e.preventDefault(); e.returnValue = ''; } });
loadIssues().then(route).catch((e) => { $('#view').innerHTML = `<p class="error">${esc(e.message)}</p>`; });
