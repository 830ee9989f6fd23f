// The marketing console's pages: plain JavaScript against the console's JSON API (/api/...).
// Everything shown is set as text (never as HTML), so a value in Redis or Kafka cannot become markup.
'use strict';

const CHANGE_HEADER = 'X-P13n-Console';

async function api(path, options = {}) {
  const init = { credentials: 'same-origin', headers: { Accept: 'application/json' } };
  if (options.body !== undefined) {
    init.method = 'POST';
    init.headers['Content-Type'] = 'application/json';
    init.headers[CHANGE_HEADER] = '1';
    init.body = JSON.stringify(options.body);
  } else if (options.method) {
    init.method = options.method;
    init.headers[CHANGE_HEADER] = '1';
  }
  const response = await fetch(path, init);
  let data = null;
  try { data = await response.json(); } catch (e) { data = null; }
  return { status: response.status, ok: response.ok, data };
}

function el(tag, attrs, ...children) {
  const node = document.createElement(tag);
  for (const [key, value] of Object.entries(attrs || {})) {
    if (value === undefined || value === null) continue;
    if (key === 'class') node.className = value;
    else if (key.startsWith('on')) node.addEventListener(key.substring(2), value);
    else node.setAttribute(key, value);
  }
  for (const child of children.flat()) {
    if (child === undefined || child === null) continue;
    node.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return node;
}

function num(x) { return typeof x === 'number' && isFinite(x); }
function fixed(x, digits) { return num(x) ? x.toFixed(digits) : 'n/a'; }
// As `campaign stats` prints them: "12.3% [10.1%, 14.8%]", "+5.0% [-2.1%, +12.3%]", "4.20 [3.10, 5.30]".
function percentInterval(i) {
  if (!i || !num(i.estimate)) return 'n/a';
  return (100 * i.estimate).toFixed(1) + '% [' + (100 * i.lower).toFixed(1) + '%, ' + (100 * i.upper).toFixed(1) + '%]';
}
function signed(x) { return (x >= 0 ? '+' : '') + x.toFixed(1) + '%'; }
function liftInterval(i) {
  if (!i || !num(i.estimate)) return 'n/a';
  const bounded = num(i.lower) && num(i.upper);
  return signed(100 * i.estimate) + (bounded ? ' [' + signed(100 * i.lower) + ', ' + signed(100 * i.upper) + ']' : '');
}
function moneyInterval(i) {
  if (!i || !num(i.estimate)) return 'n/a';
  const bounded = num(i.lower) && num(i.upper);
  return i.estimate.toFixed(2) + (bounded ? ' [' + i.lower.toFixed(2) + ', ' + i.upper.toFixed(2) + ']' : '');
}

async function showSession() {
  const page = document.body.dataset.page;
  document.querySelectorAll('header nav a').forEach(a => {
    if (a.dataset.nav === page || (page === 'campaign' && a.dataset.nav === 'campaigns')) a.classList.add('current');
  });
  const session = await api('/api/session');
  if (session.ok) {
    document.getElementById('who').textContent = session.data.user + ' · ' + session.data.access;
  }
  return session.data;
}

// ---- Campaigns -------------------------------------------------------------------------------

async function campaignsPage() {
  const choices = await api('/api/campaign-choices');
  document.querySelectorAll('select[data-choices]').forEach(select => {
    const multiple = select.multiple;
    if (!multiple && select.name !== 'trigger') select.append(el('option', { value: '' }, '(default)'));
    for (const value of choices.data[select.dataset.choices] || []) {
      select.append(el('option', { value }, value));
    }
  });
  document.getElementById('create').addEventListener('submit', createCampaign);
  await loadCampaigns();
}

async function loadCampaigns() {
  const tbody = document.querySelector('#campaigns tbody');
  const result = await api('/api/campaigns');
  tbody.replaceChildren();
  if (!result.ok) {
    tbody.append(el('tr', {}, el('td', { colspan: 10, class: 'problems' }, (result.data && result.data.error) || 'cannot read campaigns')));
    return;
  }
  if (result.data.length === 0) {
    tbody.append(el('tr', {}, el('td', { colspan: 10, class: 'muted' }, 'No campaigns yet.')));
  }
  for (const c of result.data) {
    const r = c.results;
    const actions = el('td', {});
    if (c.status === 'ACTIVE') actions.append(actionButton(c.id, 'pause'));
    if (c.status === 'PAUSED') actions.append(actionButton(c.id, 'resume'));
    if (c.status !== 'ENDED') actions.append(' ', actionButton(c.id, 'end'));
    tbody.append(el('tr', { 'data-campaign': c.id },
      el('td', {}, el('a', { href: '/campaign.html?id=' + encodeURIComponent(c.id) }, c.id), el('div', { class: 'muted' }, c.name)),
      el('td', { class: 'status status-' + c.status }, c.status),
      el('td', {}, c.trigger),
      el('td', {}, c.offer),
      el('td', { class: 'num', 'data-col': 'sent' }, r ? r.sent : '-'),
      el('td', { class: 'num', 'data-col': 'heldOut' }, r ? r.heldOut : '-'),
      el('td', { class: 'num', 'data-col': 'conversion' }, r ? r.treatedConversion : '-'),
      el('td', { class: 'num', 'data-col': 'control' }, r ? r.controlConversion : '-'),
      el('td', { class: 'num', 'data-col': 'lift' }, r ? r.lift : '-'),
      actions));
  }
}

function actionButton(id, action) {
  return el('button', {
    'data-action': action,
    onclick: async () => {
      const result = await api('/api/campaigns/' + encodeURIComponent(id) + '/' + action, { method: 'POST' });
      const out = document.getElementById('action-result');
      out.className = result.ok ? 'ok' : 'problems';
      out.textContent = (result.data && (result.data.message || result.data.error)) || ('HTTP ' + result.status);
      await loadCampaigns();
    },
  }, action);
}

async function createCampaign(event) {
  event.preventDefault();
  const form = event.target;
  const body = {};
  for (const field of form.elements) {
    if (!field.name) continue;
    if (field.tagName === 'SELECT' && field.multiple) {
      body[field.name] = Array.from(field.selectedOptions).map(o => o.value);
    } else if (field.tagName === 'TEXTAREA') {
      body[field.name] = field.value.split('\n').map(s => s.trim()).filter(s => s);
    } else if (field.value.trim() !== '') {
      body[field.name] = field.value.trim();
    }
  }
  const result = await api('/api/campaigns', { body });
  const out = document.getElementById('create-result');
  out.replaceChildren();
  if (result.data && result.data.message !== undefined) {
    out.append(el('p', { class: result.data.ok ? 'ok' : 'problems' }, result.data.message));
    if (result.data.problems && result.data.problems.length) {
      out.append(el('ul', { class: 'problems' }, result.data.problems.map(p => el('li', {}, p))));
    }
  } else {
    out.append(el('p', { class: 'problems' }, (result.data && result.data.error) || ('HTTP ' + result.status)));
  }
  if (result.ok) {
    form.reset();
    await loadCampaigns();
  }
}

// ---- One campaign ----------------------------------------------------------------------------

async function campaignPage() {
  const id = new URLSearchParams(location.search).get('id') || '';
  document.getElementById('title').textContent = 'Campaign ' + id;
  const result = await api('/api/campaigns/' + encodeURIComponent(id) + '/stats');
  const data = result.data || {};
  document.getElementById('report').textContent = data.report || 'No stats for campaign \'' + id + '\': no offer issued yet, or expired.';
  const tbody = document.querySelector('#arms tbody');
  const stats = data.statistics;
  if (stats) {
    for (const a of stats.arms) {
      tbody.append(el('tr', { 'data-arm': a.arm },
        el('td', {}, a.arm),
        el('td', { class: 'num', 'data-col': 'exposed' }, a.exposed),
        el('td', { class: 'num', 'data-col': 'converted' }, a.converted),
        el('td', { class: 'num', 'data-col': 'conversion' }, percentInterval(a.conversionRate)),
        el('td', { class: 'num', 'data-col': 'redemption' }, percentInterval(a.redemptionRate)),
        el('td', { class: 'num', 'data-col': 'revenue' }, moneyInterval(a.revenuePerExposed))));
    }
    const comparisons = document.getElementById('comparisons');
    for (const c of stats.comparisons) {
      const p = num(c.alwaysValidPValue) ? (c.alwaysValidPValue >= 0.001 ? c.alwaysValidPValue.toFixed(4) : c.alwaysValidPValue.toExponential(1)) : 'n/a';
      comparisons.append(el('p', { 'data-comparison': c.arm },
        el('strong', {}, c.arm + ' vs ' + c.controlArm + ': '),
        el('span', { 'data-col': 'lift' }, 'lift ' + liftInterval(c.lift)),
        ', always-valid p ', el('span', { 'data-col': 'p' }, p),
        el('br'), el('span', { 'data-col': 'verdict', class: c.decision === 'NOT_ENOUGH_DATA' ? 'muted' : 'ok' }, '→ ' + c.verdict)));
    }
    const srm = stats.sampleRatio;
    const srmNode = document.getElementById('srm');
    if (srm && srm.flagged) {
      srmNode.className = 'warn';
      srmNode.textContent = 'Sample ratio mismatch (p = ' + srm.pValue.toExponential(1) + '): the arms\' sizes are not what the split makes them. Do not trust these numbers until the cause is found.';
    } else if (srm && num(srm.pValue)) {
      srmNode.className = 'muted';
      srmNode.textContent = 'Sample ratio as designed (p = ' + srm.pValue.toFixed(3) + ').';
    }
  } else {
    tbody.append(el('tr', {}, el('td', { colspan: 6, class: 'muted' }, 'No results yet.')));
  }
  drawHistory(data.history || []);
}

function drawHistory(history) {
  if (history.length === 0 || typeof echarts === 'undefined') {
    document.getElementById('history-empty').hidden = false;
    document.getElementById('chart-conversions').hidden = true;
    document.getElementById('chart-lift').hidden = true;
    return;
  }
  const times = history.map(p => p.at);
  const arms = [...new Set(history.flatMap(p => Object.keys(p.converted)))];
  echarts.init(document.getElementById('chart-conversions')).setOption({
    animation: false,
    title: { text: 'Conversions per arm (cumulative)', textStyle: { fontSize: 13 } },
    tooltip: { trigger: 'axis' }, legend: { top: 22 }, grid: { top: 60, left: 50, right: 20 },
    xAxis: { type: 'time' }, yAxis: { type: 'value' },
    series: arms.map(arm => ({ name: arm, type: 'line', showSymbol: true, data: history.map(p => [p.at, p.converted[arm] || 0]) })),
  });
  const variants = [...new Set(history.flatMap(p => Object.keys(p.lift)))];
  const series = [];
  for (const v of variants) {
    const point = (p, k) => (p.lift[v] && num(p.lift[v][k]) ? 100 * p.lift[v][k] : null);
    series.push({ name: v + ' lift', type: 'line', data: history.map(p => [p.at, point(p, 1)]) });
    series.push({ name: v + ' lower', type: 'line', lineStyle: { type: 'dashed', width: 1 }, showSymbol: false, data: history.map(p => [p.at, point(p, 0)]) });
    series.push({ name: v + ' upper', type: 'line', lineStyle: { type: 'dashed', width: 1 }, showSymbol: false, data: history.map(p => [p.at, point(p, 2)]) });
  }
  echarts.init(document.getElementById('chart-lift')).setOption({
    animation: false,
    title: { text: 'Cumulative lift over control, % (95 % interval dashed)', textStyle: { fontSize: 13 } },
    tooltip: { trigger: 'axis' }, legend: { top: 22 }, grid: { top: 60, left: 50, right: 20 },
    xAxis: { type: 'time' }, yAxis: { type: 'value' }, series,
  });
}

// ---- Customer 360 ----------------------------------------------------------------------------

async function customerPage() {
  const form = document.getElementById('lookup');
  form.addEventListener('submit', event => {
    event.preventDefault();
    const id = document.getElementById('customer-id').value.trim();
    history.replaceState(null, '', '?id=' + encodeURIComponent(id));
    showCustomer(id);
  });
  const id = new URLSearchParams(location.search).get('id');
  if (id) {
    document.getElementById('customer-id').value = id;
    await showCustomer(id);
  }
}

async function showCustomer(id) {
  const out = document.getElementById('customer');
  out.replaceChildren(el('p', { class: 'muted' }, 'Loading…'));
  const result = await api('/api/customers/' + encodeURIComponent(id));
  out.replaceChildren();
  const view = result.data;
  if (!view || view.groups === undefined) {
    out.append(el('p', { class: 'problems' }, (view && view.error) || ('HTTP ' + result.status)));
    return;
  }
  out.append(el('h2', { id: 'customer-label' }, view.label));
  if (!view.groups || Object.keys(view.groups).length === 0) {
    out.append(el('p', { class: 'problems', id: 'no-profile' }, 'No profile for customer \'' + view.label + '\' (key ' + view.profileKey + ').'));
    return;
  }
  out.append(el('p', { class: 'muted' }, view.profileKey + ', expires in ' + Math.round(view.profileTtlSeconds / 3600) + ' h'));
  const facts = el('div', { class: 'facts' });
  for (const [group, rows] of Object.entries(view.groups)) {
    facts.append(el('section', { class: 'card', 'data-group': group },
      el('h2', {}, group),
      el('table', {}, el('tbody', {}, rows.map(f => el('tr', {}, el('td', {}, f.field), el('td', { 'data-field': f.field }, f.value)))))));
  }
  out.append(facts);
  const recs = el('section', { class: 'card', id: 'recommendations' }, el('h2', {}, 'Recommendations' + (view.recommendationsUpdatedAt ? ' (computed ' + view.recommendationsUpdatedAt + (view.recommendationsStrategy ? ', from ' + view.recommendationsStrategy : '') + ')' : '')));
  if (view.recommendations.length === 0) recs.append(el('p', { class: 'muted' }, '(none)'));
  else recs.append(el('table', {},
    el('thead', {}, el('tr', {}, el('th', {}, '#'), el('th', {}, 'Product'), el('th', {}, 'Category'), el('th', { class: 'num' }, 'Score'), el('th', {}, 'Why'))),
    el('tbody', {}, view.recommendations.map(r => el('tr', { 'data-item': r.itemId },
      el('td', {}, r.rank), el('td', {}, r.itemId), el('td', {}, r.categoryId || '-'), el('td', { class: 'num' }, fixed(r.score, 4)), el('td', {}, r.reason || ''))))));
  out.append(recs);
  const offers = el('section', { class: 'card', id: 'offers' }, el('h2', {}, 'Active offers'));
  if (view.offers.length === 0) offers.append(el('p', { class: 'muted' }, '(none)'));
  else offers.append(el('table', {},
    el('thead', {}, el('tr', {}, ['Code', 'Campaign', 'Variant', 'Channel', 'Discount', 'Expires', 'Why'].map(h => el('th', {}, h)))),
    el('tbody', {}, view.offers.map(o => el('tr', { 'data-offer': o.code },
      el('td', {}, o.code), el('td', {}, o.campaign), el('td', {}, o.variant || ''), el('td', {}, o.channel || ''),
      el('td', {}, o.percentOff != null ? o.percentOff + '% off' : o.amountOff != null ? o.amountOff + ' off' : (o.message || '')),
      el('td', {}, o.expiresAt || ''), el('td', {}, o.reason || ''))))));
  out.append(offers);
  const segments = el('section', { class: 'card', id: 'segment-history' }, el('h2', {}, 'Segment history'));
  if (view.segmentHistory.length === 0) segments.append(el('p', { class: 'muted' }, '(none)'));
  else segments.append(el('table', {},
    el('thead', {}, el('tr', {}, ['When', 'From', 'To', 'Why'].map(h => el('th', {}, h)))),
    el('tbody', {}, view.segmentHistory.map(c => el('tr', { 'data-segment-change': c.at },
      el('td', {}, c.at), el('td', {}, c.from), el('td', {}, c.to), el('td', {}, c.reasons.join('; ')))))));
  out.append(segments);
  const decisions = el('section', { class: 'card', id: 'decisions' }, el('h2', {}, 'Recent decisions'));
  if (view.decisions.length === 0) decisions.append(el('p', { class: 'muted' }, '(none)'));
  else decisions.append(el('table', {},
    el('thead', {}, el('tr', {}, ['When', 'Outcome', 'Campaign', 'Variant', 'Trigger', 'Code', 'Why'].map(h => el('th', {}, h)))),
    el('tbody', {}, view.decisions.map(d => el('tr', { 'data-outcome': d.outcome },
      el('td', {}, d.at), el('td', {}, d.outcome), el('td', {}, d.campaign), el('td', {}, d.variant || ''),
      el('td', {}, d.trigger), el('td', {}, d.code || ''),
      el('td', {}, (d.deliverAt ? 'held until ' + d.deliverAt + ' (quiet hours): ' : '') + (d.reason || '')))))));
  out.append(decisions);
}

// ---- Live ------------------------------------------------------------------------------------

let rateChart = null;

async function livePage() {
  await refreshLive();
  setInterval(refreshLive, 5000);
}

function tile(label, value, id) {
  return el('div', { class: 'tile', id }, el('div', { class: 'value' }, value), el('div', { class: 'label' }, label));
}

async function refreshLive() {
  const result = await api('/api/live');
  if (!result.ok) return;
  const s = result.data;
  const last = s.series.length ? s.series[s.series.length - 1] : {};
  const flink = s.flink || {};
  const redis = s.redis || {};
  document.getElementById('tiles').replaceChildren(
    tile('events per second in', num(last.eventsPerSecond) ? last.eventsPerSecond.toFixed(0) : '…', 'tile-events'),
    tile('offers sent per minute', num(last.offersPerMinute) ? last.offersPerMinute.toFixed(1) : '…', 'tile-offers'),
    tile('offers sent in total', s.offersSent >= 0 ? s.offersSent : '?', 'tile-offers-total'),
    tile('dead letters', s.deadLetters >= 0 ? s.deadLetters : '?', 'tile-dead-letters'),
    tile('Redis', redis.ok ? 'ok · ' + fixed(redis.pingMillis, 1) + ' ms · ' + redis.usedMemory : 'DOWN', 'tile-redis'),
    tile('job', flink.reachable ? flink.state : 'Flink not reachable', 'tile-job'),
    tile('last checkpoint', flink.lastCheckpointAt ? flink.lastCheckpointAgeSeconds + ' s ago · ' + flink.lastCheckpointMillis + ' ms' : 'none yet', 'tile-checkpoint'));
  const segments = Object.entries(s.segments || {});
  document.getElementById('segments').replaceChildren(
    segments.length === 0 ? el('p', { class: 'muted' }, 'No profiles yet.') :
      el('table', { id: 'segment-table' }, el('tbody', {}, segments.map(([name, count]) => el('tr', { 'data-segment': name }, el('td', {}, name), el('td', { class: 'num' }, count))))),
    s.segmentsSampled ? el('p', { class: 'muted' }, 'From the first ' + s.profilesCounted + ' profiles found.') : '');
  document.getElementById('engine').replaceChildren(
    el('p', {}, 'Flink dashboard: ', el('a', { href: s.dashboard, id: 'dashboard-link', target: '_blank', rel: 'noopener' }, s.dashboard)),
    el('p', {}, 'Job: ' + (flink.job || '-') + ' · ' + (flink.state || flink.error || '') +
      (flink.reachable && flink.job ? ' · checkpoints completed ' + flink.checkpointsCompleted + ', failed ' + flink.checkpointsFailed : '')),
    flink.lastFailure ? el('p', { class: 'warn' }, 'Last failed checkpoint: ' + flink.lastFailure) : '',
    s.kafkaError ? el('p', { class: 'warn' }, 'Kafka: ' + s.kafkaError) : '',
    el('p', { class: 'muted' }, 'Sampled ' + s.at));
  if (typeof echarts !== 'undefined') {
    rateChart = rateChart || echarts.init(document.getElementById('chart-rates'));
    rateChart.setOption({
      animation: false, tooltip: { trigger: 'axis' }, legend: {}, grid: { top: 40, left: 50, right: 50 },
      xAxis: { type: 'time' },
      yAxis: [{ type: 'value', name: 'events/s' }, { type: 'value', name: 'offers/min' }],
      series: [
        { name: 'events per second', type: 'line', showSymbol: false, data: s.series.map(p => [p.at, p.eventsPerSecond]) },
        { name: 'offers per minute', type: 'line', showSymbol: false, yAxisIndex: 1, data: s.series.map(p => [p.at, p.offersPerMinute]) },
      ],
    });
  }
}

// ---- start -----------------------------------------------------------------------------------

document.addEventListener('DOMContentLoaded', async () => {
  await showSession();
  const pages = { campaigns: campaignsPage, campaign: campaignPage, customer: customerPage, live: livePage };
  await pages[document.body.dataset.page]();
  document.body.dataset.ready = 'true';
});
