/* The page's drawing, shared by the static report and serve's live dashboard: cards, the busy/idle chart, the
   calendar heatmap, grid intensity with "when to run", sortable tables and equivalencies. Each part draws one of
   the API's JSON objects (Figures.java); the report embeds them, the dashboard fetches them. Nothing here
   computes a figure shown as a number beyond busy + idle and the shares and means of those sums: the figures are
   the views'. Names from the database are only ever set as text, never as markup.
   Each chart's canvas carries what it drew (data-*), so a headless browser's DOM can be checked against the
   database. */
var AdaCarbon = (function () {
  'use strict';
  var css = getComputedStyle(document.documentElement);
  function color(name) { return css.getPropertyValue(name).trim(); }
  var COLORS = {
    busy: color('--busy'), idle: color('--idle'), actual: color('--actual'), forecast: color('--forecast'),
    regional: color('--regional'), fallback: color('--fallback'), window: color('--window')
  };
  var SOURCES = ['actual', 'forecast', 'regional', 'fallback'];
  var formats = {};
  function number(v, digits) {
    if (v === null || v === undefined) { return '—'; }
    if (!formats[digits]) {
      formats[digits] = new Intl.NumberFormat('en-GB', { maximumFractionDigits: digits, minimumFractionDigits: digits });
    }
    return formats[digits].format(v);
  }
  function raw(v) { return v === null || v === undefined ? '' : String(v); }
  function nz(v) { return v === null || v === undefined ? 0 : v; }
  function share(part, whole) { return whole > 0 ? 100 * part / whole : 0; }
  /** A share (0 to 1) as a percentage, or a dash when it is not known. */
  function percent(v) { return v === null || v === undefined ? '—' : number(100 * v, 1) + '%'; }
  function kg(v) { return number(v === null || v === undefined ? null : v / 1000, 3); }
  /** An element with attributes and, optionally, text (never markup). */
  function el(tag, attrs, text) {
    var e = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (a) { e.setAttribute(a, attrs[a]); });
    if (text !== undefined && text !== null) { e.textContent = text; }
    return e;
  }
  function clear(host) { while (host.firstChild) { host.removeChild(host.firstChild); } return host; }
  function byId(id) { return document.getElementById(id); }

  if (window.Chart) {
    Chart.defaults.animation = false;
    Chart.defaults.font.family = getComputedStyle(document.body).fontFamily;
  }

  /**
   * How many pixels of a canvas are painted (every 4th pixel sampled): 0 means the chart drew nothing. Measured
   * at a canvas's first draw only: reading a canvas back again and again is slow, and Chromium warns of it.
   */
  function painted(canvas) {
    if (canvas.hasAttribute('data-painted')) { return +canvas.getAttribute('data-painted'); }
    var ctx = canvas.getContext('2d');
    var pixels = ctx.getImageData(0, 0, canvas.width, canvas.height).data;
    var n = 0;
    for (var i = 3; i < pixels.length; i += 16) { if (pixels[i] !== 0) { n++; } }
    return n;
  }

  /** Options in the address's fragment, e.g. #grain=day&unit=g&sort=project:11:desc */
  function fragment() {
    var options = {};
    location.hash.replace(/^#/, '').split('&').forEach(function (kv) {
      var i = kv.indexOf('=');
      if (i > 0) { options[decodeURIComponent(kv.slice(0, i))] = decodeURIComponent(kv.slice(i + 1)); }
    });
    return options;
  }

  /** The bar width that shows a period's facts best: hours up to a month, days up to two years, else months. */
  function defaultGrain(total, firstTs, lastTs) {
    if (!total || !firstTs) { return 'hour'; }
    var hours = (Date.parse(lastTs) - Date.parse(firstTs)) / 3600000 + 1;
    return hours <= 24 * 31 ? 'hour' : hours <= 24 * 732 ? 'day' : 'month';
  }

  // ------------------------------------------------------------------ summary cards

  /**
   * @param usage a Usage (its total and first/last fact)
   * @param extras {active: workspaces counted, cpuSlotsBySource: {actual, forecast, regional, fallback},
   *   grain: 'hour', footprint: a SelectionFootprint of the same selection and period}
   */
  function cards(usage, extras) {
    var host = clear(byId('cards'));
    var t = usage.total;
    var kwh = t.busy_kwh + t.idle_kwh, grams = t.busy_gco2eq + t.idle_gco2eq;
    var busyShare = share(t.busy_kwh, kwh);
    function card(id, label, value, shown, unit, detail) {
      var c = el('div', { 'class': 'card', id: id, 'data-v': raw(value) });
      c.appendChild(el('div', { 'class': 'label' }, label));
      var v = el('div', { 'class': 'value' }, shown + (unit ? ' ' : ''));
      if (unit) { v.appendChild(el('small', {}, unit)); }
      c.appendChild(v);
      var d = el('div', { 'class': 'detail' });
      if (detail instanceof Node) { d.appendChild(detail); } else { d.textContent = detail; }
      c.appendChild(d);
      host.appendChild(c);
      return d;
    }
    card('sum-energy', 'Energy', kwh, number(kwh, 2), 'kWh',
      'busy ' + number(t.busy_kwh, 2) + ' · idle ' + number(t.idle_kwh, 2) + ' kWh');
    card('sum-carbon', 'Operational carbon', grams, number(grams / 1000, 2), 'kgCO2eq',
      'busy ' + number(t.busy_gco2eq / 1000, 2) + ' · idle ' + number(t.idle_gco2eq / 1000, 2) + ' kgCO2eq');
    footprintCards(extras.footprint, card);
    var bar = el('div', { 'class': 'share', title: 'busy ' + number(busyShare, 1) + '% of energy' });
    var busy = el('div', { 'class': 'busy' });
    busy.style.width = busyShare.toFixed(2) + '%';
    bar.appendChild(busy);
    var detail = document.createDocumentFragment();
    detail.appendChild(bar);
    detail.appendChild(document.createTextNode('energy: idle ' + number(share(t.idle_kwh, kwh), 1) + '% · carbon: busy '
      + number(share(t.busy_gco2eq, grams), 1) + '%, idle ' + number(share(t.idle_gco2eq, grams), 1) + '%'));
    var d = card('sum-busy-share', 'Busy vs idle', busyShare, number(busyShare, 1) + '%', 'busy', '');
    d.appendChild(detail);
    card('sum-active', 'Workspaces active now', extras.active, number(extras.active, 0), '',
      'claimed and not deleted, as the database last heard');
    card('sum-intensity', 'Mean intensity', kwh > 0 ? grams / kwh : null, number(kwh > 0 ? grams / kwh : null, 1),
      'gCO2eq/kWh', 'the period\'s carbon ÷ its energy');
    card('sum-facts', 'Facts', t.facts, number(t.facts, 0), extras.grain + 's',
      t.facts === 0 ? 'no facts in the period' : usage.first_ts + ' to ' + usage.last_ts);
    var src = extras.cpuSlotsBySource;
    card('sum-sources', 'Intensity of slots with CPU time', src.actual + src.forecast + src.regional + src.fallback,
      number(src.actual, 0), 'actual', 'forecast ' + number(src.forecast, 0) + ' · regional '
      + number(src.regional, 0) + ' · fallback ' + number(src.fallback, 0) + ' half hours');
    byId('carbon-kg').textContent = number(grams / 1000, 2);
    var note = clear(byId('usage-note'));
    if (t.facts === 0) { note.appendChild(el('p', { 'class': 'note', id: 'no-facts' }, 'No facts in this period.')); }
  }

  /**
   * The footprint beside the operational carbon: embodied carbon, the two together, and how much of it is measured
   * (SPEC 2.9, 2.10). A figure the database does not know (facts computed before it was) is shown as not known,
   * with the footprint's note, never as zero.
   */
  function footprintCards(fp, card) {
    var f = fp.footprint, q = fp.quality;
    var known = f.embodied_gco2eq !== null;
    card('sum-embodied', 'Embodied carbon', f.embodied_gco2eq, known ? number(f.embodied_gco2eq / 1000, 2) : 'not known',
      known ? 'kgCO2eq' : '', 'the hardware\'s manufacturing emissions its CPU time holds');
    card('sum-footprint', 'Footprint', f.total_gco2eq, known ? number(f.total_gco2eq / 1000, 2) : 'not known',
      known ? 'kgCO2eq' : '', 'operational ' + number(f.operational_gco2eq / 1000, 2) + ' + embodied '
      + (known ? number(f.embodied_gco2eq / 1000, 2) : '?') + ' kgCO2eq');
    card('sum-measured', 'Measured', q.measured_share, percent(q.measured_share), q.measured_share === null ? '' : 'actual',
      'of the energy priced with a measured intensity · fallback ' + percent(q.fallback_share)
      + ' · hosts reported ' + percent(q.coverage) + ' of their time');
    var note = byId('footprint-note');
    note.textContent = fp.note || '';
    note.hidden = !fp.note;
  }

  // ------------------------------------------------------------------ busy and idle bars

  /**
   * The stacked bar chart and its buttons. onGrain(grain) is called when a grain button is pressed; the page
   * answers with show(usage) once it has that grain's Usage.
   */
  function usageChart(initial, onGrain) {
    var canvas = byId('usage-chart');
    var state = { grain: initial.grain, unit: initial.unit === 'g' ? 'g' : 'kwh', usage: null };
    function unitName() { return state.unit === 'g' ? 'gCO2eq' : 'kWh'; }
    function label(key) {
      return key.length === 13 ? key.slice(0, 10) + ' ' + key.slice(11, 13) + ':00' : key;
    }
    var chart = new Chart(canvas, {
      type: 'bar',
      data: { labels: [], datasets: [
        { label: 'busy', data: [], backgroundColor: COLORS.busy, stack: 's' },
        { label: 'idle', data: [], backgroundColor: COLORS.idle, stack: 's' }
      ] },
      options: {
        responsive: true, maintainAspectRatio: false,
        interaction: { mode: 'index', intersect: false },
        scales: {
          x: { stacked: true, ticks: { autoSkip: true, maxRotation: 0 } },
          y: { stacked: true, beginAtZero: true, title: { display: true, text: '' } }
        },
        plugins: {
          tooltip: { callbacks: {
            label: function (c) { return c.dataset.label + ': ' + number(c.parsed.y, 3) + ' ' + unitName(); },
            footer: function (items) {
              var total = 0;
              items.forEach(function (i) { total += i.parsed.y; });
              var busy = items.length ? items[0].parsed.y : 0;
              return 'total ' + number(total, 3) + ' ' + unitName() + (total > 0 ? ' (busy ' + number(100 * busy / total, 1) + '%)' : '');
            }
          } }
        }
      }
    });
    function draw() {
      var periods = state.usage ? state.usage.periods : [];
      var busy = periods.map(function (p) { return state.unit === 'g' ? p.busy_gco2eq : p.busy_kwh; });
      var idle = periods.map(function (p) { return state.unit === 'g' ? p.idle_gco2eq : p.idle_kwh; });
      chart.data.labels = periods.map(function (p) { return label(p.period); });
      chart.data.datasets[0].data = busy;
      chart.data.datasets[1].data = idle;
      chart.options.scales.y.title.text = unitName() + ' per ' + state.grain;
      chart.update('none');
      var total = 0;
      busy.forEach(function (v) { total += v; });
      idle.forEach(function (v) { total += v; });
      canvas.setAttribute('data-grain', state.grain);
      canvas.setAttribute('data-unit', state.unit);
      canvas.setAttribute('data-bars', String(periods.length));
      canvas.setAttribute('data-total', String(total));
      canvas.setAttribute('data-painted', String(painted(canvas)));
      document.querySelectorAll('#usage button[data-grain]').forEach(function (b) {
        b.setAttribute('aria-pressed', String(b.getAttribute('data-grain') === state.grain));
      });
      document.querySelectorAll('#usage button[data-unit]').forEach(function (b) {
        b.setAttribute('aria-pressed', String(b.getAttribute('data-unit') === state.unit));
      });
    }
    document.querySelectorAll('#usage button').forEach(function (b) {
      b.addEventListener('click', function () {
        if (b.hasAttribute('data-unit')) {
          state.unit = b.getAttribute('data-unit');
          draw();
        }
        if (b.hasAttribute('data-grain')) {
          state.grain = b.getAttribute('data-grain');
          onGrain(state.grain);
        }
      });
    });
    return {
      grain: function () { return state.grain; },
      show: function (usage) { state.usage = usage; state.grain = usage.bucket; draw(); }
    };
  }

  // ------------------------------------------------------------------ calendar heatmap of daily carbon

  /** One calendar per Heatmap (newest year first), each square a day's carbon. */
  function heatmap(heatmaps) {
    var host = clear(byId('heatmap'));
    var max = 0, cells = 0;
    heatmaps.forEach(function (h) { if (h.max > max) { max = h.max; } });
    if (!heatmaps.some(function (h) { return h.days.length > 0; })) {
      host.appendChild(el('p', { 'class': 'note' }, 'No facts in this period.'));
      host.setAttribute('data-days', '0');
      return;
    }
    var SVG = 'http://www.w3.org/2000/svg';
    var CELL = 13, SIZE = 11, LEFT = 30, TOP = 16;
    var ramp = ['#fde7d4', '#fbbf8a', '#f58b4c', '#d9531e', '#9a3412'];
    var months = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
    var weekdays = ['Mon', '', 'Wed', '', 'Fri', '', ''];
    function svgEl(name, attrs) {
      var e = document.createElementNS(SVG, name);
      Object.keys(attrs).forEach(function (a) { e.setAttribute(a, attrs[a]); });
      return e;
    }
    heatmaps.forEach(function (h) {
      var year = h.year;
      var byDate = {};
      h.days.forEach(function (d) { byDate[d.date] = d.value; });
      host.appendChild(el('div', { 'class': 'year' }, year + ': ' + number(h.total / 1000, 2) + ' kgCO2eq'));
      var jan1 = new Date(Date.UTC(year, 0, 1));
      var offset = (jan1.getUTCDay() + 6) % 7; // Monday = 0
      var svg = svgEl('svg', { width: LEFT + 54 * CELL, height: TOP + 7 * CELL + 4, role: 'img',
        'aria-label': 'Daily carbon in ' + year, 'data-year': String(year) });
      for (var w = 0; w < 7; w++) {
        if (weekdays[w]) {
          var t = svgEl('text', { x: 0, y: TOP + w * CELL + 9 });
          t.textContent = weekdays[w];
          svg.appendChild(t);
        }
      }
      for (var d = new Date(jan1); d.getUTCFullYear() === year; d.setUTCDate(d.getUTCDate() + 1)) {
        var dayOfYear = Math.round((d - jan1) / 86400000);
        var col = Math.floor((dayOfYear + offset) / 7), row = (d.getUTCDay() + 6) % 7;
        if (d.getUTCDate() === 1) {
          var m = svgEl('text', { x: LEFT + col * CELL, y: 10 });
          m.textContent = months[d.getUTCMonth()];
          svg.appendChild(m);
        }
        var key = d.toISOString().slice(0, 10);
        var has = Object.prototype.hasOwnProperty.call(byDate, key);
        var g = has ? byDate[key] : 0;
        var level = !has ? -1 : max <= 0 ? 0 : Math.max(0, Math.min(4, Math.floor(5 * g / max - 1e-9)));
        var rect = svgEl('rect', { x: LEFT + col * CELL, y: TOP + row * CELL, width: SIZE, height: SIZE, rx: 2,
          fill: level < 0 ? '#eef1f4' : ramp[level], 'data-date': key });
        var tip = svgEl('title', {});
        if (has) {
          rect.setAttribute('data-g', String(g));
          tip.textContent = key + ': ' + number(g / 1000, 2) + ' kgCO2eq';
          cells++;
        } else {
          tip.textContent = key + ': no facts';
        }
        rect.appendChild(tip);
        svg.appendChild(rect);
      }
      host.appendChild(svg);
    });
    var legend = el('div', { 'class': 'legend' }, 'less ');
    ramp.forEach(function (c) {
      var swatch = el('i', { 'class': 'swatch' });
      swatch.style.background = c;
      legend.appendChild(swatch);
    });
    legend.appendChild(document.createTextNode(' more (up to ' + number(max / 1000, 2) + ' kgCO2eq a day)'));
    host.appendChild(legend);
    host.setAttribute('data-days', String(cells));
  }

  // ------------------------------------------------------------------ intensity by source, and when to run

  var intensityChart = null;

  /** The slots of an Intensity, coloured by source, with a Forecast's best window highlighted and described. */
  function intensity(data, forecast) {
    var canvas = byId('intensity-chart');
    var s = data.slots;
    var win = forecast.best_window;
    var ts = s.map(function (x) { return x.from; });
    var first = win ? ts.indexOf(win.slots[0]) : -1;
    var last = win ? ts.indexOf(win.slots[win.slots.length - 1]) : -1;

    var legend = clear(byId('source-legend'));
    SOURCES.forEach(function (source) {
      var n = data.by_source[source];
      var span = el('span', { 'data-source': source, 'data-count': String(n) });
      span.appendChild(el('i', { 'class': 'swatch ' + source }));
      span.appendChild(document.createTextNode(source + ': ' + number(n, 0) + ' half hours'));
      legend.appendChild(span);
    });
    var w = el('span', {});
    w.appendChild(el('i', { 'class': 'swatch window' }));
    w.appendChild(document.createTextNode('when to run'));
    legend.appendChild(w);

    var highlight = {
      id: 'whenToRun',
      beforeDatasetsDraw: function (chart) {
        if (first < 0 || last < 0) { return; }
        var x = chart.scales.x, area = chart.chartArea, ctx = chart.ctx;
        var step = s.length > 1 ? x.getPixelForValue(1) - x.getPixelForValue(0) : area.right - area.left;
        var left = x.getPixelForValue(first) - step / 2, right = x.getPixelForValue(last) + step / 2;
        ctx.save();
        ctx.fillStyle = COLORS.window;
        ctx.fillRect(left, area.top, right - left, area.bottom - area.top);
        ctx.fillStyle = '#15803d';
        ctx.font = '12px ' + Chart.defaults.font.family;
        ctx.fillText('when to run', left + 3, area.top + 13);
        ctx.restore();
      }
    };
    var sourceColor = function (i) { return COLORS[s[i].source] || '#000'; };
    var radius = s.length <= 800 ? 2.5 : 0;
    // The national series (actual, forecast) and the configured region's forecast beside the intensity used.
    var regional = s.filter(function (x) { return x.regional_forecast !== null; }).length;
    var series = [
      { label: 'national actual', data: s.map(function (x) { return x.actual; }), borderColor: '#52606d',
        borderWidth: 1, pointRadius: 0, spanGaps: false },
      { label: 'national forecast', data: s.map(function (x) { return x.forecast; }), borderColor: '#9aa5b1',
        borderDash: [4, 3], borderWidth: 1, pointRadius: 0, spanGaps: false }];
    if (regional) {
      var region = s.filter(function (x) { return x.region !== null; })[0].region;
      series.push({ label: 'region ' + region + ' forecast', data: s.map(function (x) { return x.regional_forecast; }),
        borderColor: COLORS.regional, borderDash: [2, 2], borderWidth: 1, pointRadius: 0, spanGaps: false });
    }
    series.forEach(function (x) {
      var span = el('span', { 'data-series': x.label });
      var line = el('i', { 'class': 'swatch line' + (x.borderDash ? ' dashed' : '') });
      line.style.borderColor = x.borderColor;
      span.appendChild(line);
      span.appendChild(document.createTextNode(x.label));
      legend.appendChild(span);
    });
    if (intensityChart) { intensityChart.destroy(); }
    intensityChart = new Chart(canvas, {
      type: 'line',
      data: {
        labels: ts.map(function (t) { return t.slice(0, 10) + ' ' + t.slice(11, 16); }),
        datasets: [
          { label: 'intensity used', data: s.map(function (x) { return x.intensity; }), borderWidth: 2,
            pointRadius: radius, pointHoverRadius: 4,
            pointBackgroundColor: s.map(function (_, i) { return sourceColor(i); }),
            pointBorderColor: s.map(function (_, i) { return sourceColor(i); }),
            segment: { borderColor: function (ctx) { return sourceColor(ctx.p1DataIndex); } },
            borderColor: COLORS.actual }
        ].concat(series)
      },
      options: {
        responsive: true, maintainAspectRatio: false,
        interaction: { mode: 'index', intersect: false },
        scales: {
          x: { ticks: { autoSkip: true, maxRotation: 0 } },
          y: { beginAtZero: true, title: { display: true, text: 'gCO2eq/kWh' } }
        },
        plugins: {
          legend: { display: false },
          tooltip: { callbacks: {
            label: function (c) {
              var x = s[c.dataIndex];
              if (c.datasetIndex > 0) { return c.dataset.label + ': ' + number(c.parsed.y, 0); }
              return 'used: ' + number(x.intensity, 0) + ' (' + x.source + ')' + (x.index ? ', ' + x.index : '');
            }
          } }
        }
      },
      plugins: [highlight]
    });
    canvas.setAttribute('data-slots', String(s.length));
    canvas.setAttribute('data-regional-slots', String(regional));
    canvas.setAttribute('data-series', ['intensity used'].concat(series.map(function (x) { return x.label; })).join('|'));
    canvas.setAttribute('data-window-drawn', String(first >= 0 && last >= 0));
    canvas.setAttribute('data-painted', String(painted(canvas)));

    var host = clear(byId('when'));
    var hours = number(forecast.window_hours, forecast.window_hours % 1 ? 1 : 0);
    if (!win) {
      var none = el('div', { 'class': 'when none', id: 'when-to-run' });
      none.appendChild(el('h3', {}, 'When to run'));
      none.appendChild(el('p', {}, forecast.note));
      host.appendChild(none);
      return;
    }
    var box = el('div', { 'class': 'when', id: 'when-to-run', 'data-start': win.from, 'data-end': win.to,
      'data-mean': raw(win.mean_intensity) });
    box.appendChild(el('h3', {}, 'When to run'));
    var p = el('p', {}, 'The lowest-carbon ' + hours + ' hours of the latest forecast: ');
    p.appendChild(el('strong', {}, win.from + ' to ' + win.to));
    p.appendChild(document.createTextNode(', a mean of '));
    p.appendChild(el('strong', {}, number(win.mean_intensity, 1) + ' gCO2eq/kWh'));
    p.appendChild(document.createTextNode(' (highlighted in green above). Chosen among the ' + forecast.forecasts.length
      + ' forecast-only half hours after the newest actual (' + (forecast.newest_actual || 'none')
      + '), which run to ' + forecast.forecast_until + '.'));
    box.appendChild(p);
    if (first < 0 || last < 0) {
      box.appendChild(el('p', { 'class': 'note' }, 'The window lies outside the period charted above.'));
    }
    host.appendChild(box);
  }

  // ------------------------------------------------------------------ sortable tables

  var TOTAL_COLUMNS = [
    ['busy_cpu_seconds_total', 'Busy CPU-h', function (r) { return r.busy_cpu_seconds; }, function (v) { return number(v === null ? null : v / 3600, 1); }],
    ['idle_cpu_seconds_total', 'Idle CPU-h', function (r) { return r.idle_cpu_seconds; }, function (v) { return number(v === null ? null : v / 3600, 1); }],
    ['busy_kwh', 'Busy kWh', function (r) { return r.busy_kwh; }, function (v) { return number(v, 3); }],
    ['idle_kwh', 'Idle kWh', function (r) { return r.idle_kwh; }, function (v) { return number(v, 3); }],
    ['kwh', 'kWh', function (r) { return nz(r.busy_kwh) + nz(r.idle_kwh); }, function (v) { return number(v, 3); }],
    ['busy_share', 'Busy share', function (r) { return share(nz(r.busy_kwh), nz(r.busy_kwh) + nz(r.idle_kwh)); }, function (v) { return number(v, 1) + '%'; }],
    ['busy_gCo2eq', 'Busy kgCO2eq', function (r) { return r.busy_gco2eq; }, function (v) { return number(v === null ? null : v / 1000, 3); }],
    ['idle_gCo2eq', 'Idle kgCO2eq', function (r) { return r.idle_gco2eq; }, function (v) { return number(v === null ? null : v / 1000, 3); }],
    ['gCo2eq', 'Operational kgCO2eq', function (r) { return nz(r.busy_gco2eq) + nz(r.idle_gco2eq); }, function (v) { return number(v / 1000, 3); }],
    // The footprint beside it (SPEC 2.9, 2.10): a dash where the database does not know it.
    ['embodied_gCo2eq', 'Embodied kgCO2eq', function (r) { return r.embodied_gco2eq; }, kg],
    ['total_gCo2eq', 'Footprint kgCO2eq', function (r) { return r.total_gco2eq; }, kg],
    ['measured_share', 'Measured', function (r) { return r.measured_share; }, percent],
    ['coverage', 'Coverage', function (r) { return r.coverage; }, percent]];
  var MEAN_COLUMNS = [
    ['avg_busy_energy_kwh', 'Busy kWh', function (r) { return r.avg_busy_energy_kwh; }, function (v) { return number(v, 4); }],
    ['avg_idle_energy_kwh', 'Idle kWh', function (r) { return r.avg_idle_energy_kwh; }, function (v) { return number(v, 4); }],
    ['avg_busy_carbon_gCo2eq', 'Busy gCO2eq', function (r) { return r.avg_busy_carbon_gco2eq; }, function (v) { return number(v, 2); }],
    ['avg_idle_carbon_gCo2eq', 'Idle gCO2eq', function (r) { return r.avg_idle_carbon_gco2eq; }, function (v) { return number(v, 2); }],
    ['avg_intensity_gCo2eq_kwh', 'gCO2eq/kWh', function (r) { return r.avg_intensity_gco2eq_kwh; }, function (v) { return number(v, 1); }]];

  function sortTable(table, column, direction) {
    var heads = table.tHead.rows[table.tHead.rows.length - 1].cells;
    var numeric = heads[column].getAttribute('data-type') === 'num';
    var body = table.tBodies[0];
    var rows = Array.prototype.slice.call(body.rows);
    var sign = direction === 'ascending' ? 1 : -1;
    rows.sort(function (a, b) {
      var x = a.cells[column].getAttribute('data-v'), y = b.cells[column].getAttribute('data-v');
      var c;
      if (numeric) {
        // Empty (no figure) sorts last either way.
        if (x === '' || y === '') { return (x === '') - (y === ''); }
        c = parseFloat(x) - parseFloat(y);
      } else {
        c = x.localeCompare(y);
      }
      return sign * c || a.cells[0].getAttribute('data-v').localeCompare(b.cells[0].getAttribute('data-v'));
    });
    rows.forEach(function (r) { body.appendChild(r); });
    Array.prototype.forEach.call(heads, function (h, i) {
      if (i === column) { h.setAttribute('aria-sort', direction); } else { h.removeAttribute('aria-sort'); }
    });
  }

  /** One sortable table per Table (project, machine, group, user), in their order. sort: 'project:11:desc' or null. */
  function tables(list, grain, sort) {
    var host = clear(byId('tables-host'));
    byId('grain').textContent = grain;
    list.forEach(function (t) {
      var users = t.scope === 'user';
      var h = el('h3', {}, t.title + ' ');
      h.appendChild(el('span', { 'class': 'note' }, '(' + t.rows.length + ')'));
      host.appendChild(h);
      if (!t.rows.length) {
        host.appendChild(el('p', { 'class': 'note empty', id: 't-' + t.scope + '-empty' }, 'No facts in this period.'));
        return;
      }
      var table = el('table', { 'class': 'sortable', id: 't-' + t.scope, 'data-rows': String(t.rows.length) });
      var head = el('thead');
      var groups = el('tr');
      groups.appendChild(el('th', { colspan: String((users ? 3 : 1) + 1) }));
      groups.appendChild(el('th', { 'class': 'group', colspan: String(TOTAL_COLUMNS.length) }, 'Totals'));
      groups.appendChild(el('th', { 'class': 'group', colspan: String(MEAN_COLUMNS.length) }, 'Mean per ' + grain));
      head.appendChild(groups);
      var names = el('tr');
      function th(column, label, numeric) {
        var attrs = { scope: 'col', 'data-col': column, 'data-type': numeric ? 'num' : 'text' };
        if (numeric) { attrs['class'] = 'num'; }
        names.appendChild(el('th', attrs, label));
      }
      th('name', t.name_header, false);
      if (users) { th('display_name', 'Name', false); th('group_name', 'Group', false); }
      th('facts', 'Facts', true);
      TOTAL_COLUMNS.concat(MEAN_COLUMNS).forEach(function (c) { th(c[0], c[1], true); });
      head.appendChild(names);
      table.appendChild(head);
      var body = el('tbody');
      t.rows.forEach(function (r) {
        var tr = el('tr');
        function text(v) { tr.appendChild(el('td', { 'data-v': raw(v) }, raw(v))); }
        function num(v, shown) { tr.appendChild(el('td', { 'class': 'num', 'data-v': raw(v) }, shown)); }
        text(r.name);
        if (users) { text(r.display_name); text(r.group_name); }
        num(r.facts, number(r.facts, 0));
        TOTAL_COLUMNS.concat(MEAN_COLUMNS).forEach(function (c) {
          var v = c[2](r);
          num(v, c[3](v));
        });
        body.appendChild(tr);
      });
      table.appendChild(body);
      var wrap = el('div', { 'class': 'table-wrap' });
      wrap.appendChild(table);
      host.appendChild(wrap);
      Array.prototype.forEach.call(names.cells, function (cell, i) {
        cell.addEventListener('click', function () {
          var numeric = cell.getAttribute('data-type') === 'num';
          var current = cell.getAttribute('aria-sort');
          var next = current ? (current === 'ascending' ? 'descending' : 'ascending') : (numeric ? 'descending' : 'ascending');
          sortTable(table, i, next);
        });
      });
    });
    if (sort) {
      var parts = sort.split(':');
      var table = byId('t-' + parts[0]);
      var column = parseInt(parts[1], 10);
      if (table && column >= 0 && column < table.tHead.rows[table.tHead.rows.length - 1].cells.length) {
        sortTable(table, column, parts[2] === 'asc' ? 'ascending' : 'descending');
      }
    }
  }

  // ------------------------------------------------------------------ equivalencies

  /** A CarbonEquivalencies: each everyday equivalent with its factor and source. */
  function equivalencies(eq) {
    var host = clear(byId('equivalencies-host'));
    var table = el('table', { 'class': 'equiv', id: 't-equivalencies' });
    var head = el('thead');
    var tr = el('tr');
    ['Equivalent to', '', 'Factor', 'Source'].forEach(function (h) { tr.appendChild(el('th', {}, h)); });
    head.appendChild(tr);
    table.appendChild(head);
    var body = el('tbody');
    Object.keys(eq.top_equivalencies).forEach(function (id) {
      var e = eq.top_equivalencies[id];
      var row = el('tr', { 'data-id': id, 'data-v': raw(e.value), 'data-grams-per-unit': raw(e.grams_per_unit) });
      row.appendChild(el('td', { 'class': 'amount' }, number(e.value, e.value < 100 ? 1 : 0) + ' ' + e.unit));
      row.appendChild(el('td', {}, e.description));
      row.appendChild(el('td', {}, e.factor));
      var source = el('td', {}, e.source);
      if (e.url) {
        // Shown, not linked: the page fetches nothing, and a reader can copy the address.
        source.appendChild(el('br'));
        source.appendChild(el('code', {}, e.url));
      }
      row.appendChild(source);
      body.appendChild(row);
    });
    table.appendChild(body);
    host.appendChild(table);
  }

  function ready(value) {
    document.documentElement.setAttribute('data-ready', value === undefined ? 'true' : String(value));
  }

  return {
    number: number, el: el, clear: clear, fragment: fragment, defaultGrain: defaultGrain, cards: cards,
    usageChart: usageChart, heatmap: heatmap, intensity: intensity, tables: tables, equivalencies: equivalencies,
    ready: ready
  };
})();
