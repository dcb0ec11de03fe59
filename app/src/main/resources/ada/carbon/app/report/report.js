/* The report's charts and sortable tables. The figures come from <script id="report-data">, written from the
   database's views; nothing here computes a figure shown as a number, it only draws and sorts them.
   When everything is drawn, <html data-ready="true">; each chart's canvas carries what it drew (data-*), so a
   headless browser's DOM dump can be checked against the database. */
(function () {
  'use strict';
  var data = JSON.parse(document.getElementById('report-data').textContent);
  var css = getComputedStyle(document.documentElement);
  function color(name) { return css.getPropertyValue(name).trim(); }
  var COLORS = {
    busy: color('--busy'), idle: color('--idle'), actual: color('--actual'), forecast: color('--forecast'),
    fallback: color('--fallback'), window: color('--window')
  };
  var fmt = function (digits) {
    return new Intl.NumberFormat('en-GB', { maximumFractionDigits: digits, minimumFractionDigits: digits });
  };
  var f0 = fmt(0), f1 = fmt(1), f2 = fmt(2), f3 = fmt(3);

  // Options in the address's fragment, e.g. report.html#grain=day&unit=g&sort=project:11:desc
  var options = {};
  location.hash.replace(/^#/, '').split('&').forEach(function (kv) {
    var i = kv.indexOf('=');
    if (i > 0) { options[decodeURIComponent(kv.slice(0, i))] = decodeURIComponent(kv.slice(i + 1)); }
  });

  Chart.defaults.animation = false;
  Chart.defaults.font.family = getComputedStyle(document.body).fontFamily;

  /** How many pixels of a canvas are painted (every 4th pixel sampled): 0 means the chart drew nothing. */
  function painted(canvas) {
    var ctx = canvas.getContext('2d');
    var pixels = ctx.getImageData(0, 0, canvas.width, canvas.height).data;
    var n = 0;
    for (var i = 3; i < pixels.length; i += 16) { if (pixels[i] !== 0) { n++; } }
    return n;
  }

  // ------------------------------------------------------------------ busy and idle bars
  var usage = (function () {
    var canvas = document.getElementById('usage-chart');
    var state = {
      grain: ['hour', 'day', 'month'].indexOf(options.grain) >= 0 ? options.grain : data.defaultGrain,
      unit: options.unit === 'g' ? 'g' : 'kwh'
    };
    function label(key) {
      return state.grain === 'hour' ? key.slice(0, 10) + ' ' + key.slice(11, 13) + ':00' : key;
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
            label: function (c) { return c.dataset.label + ': ' + f3.format(c.parsed.y) + ' ' + unitName(); },
            footer: function (items) {
              var total = 0;
              items.forEach(function (i) { total += i.parsed.y; });
              var busy = items.length ? items[0].parsed.y : 0;
              return 'total ' + f3.format(total) + ' ' + unitName() + (total > 0 ? ' (busy ' + f1.format(100 * busy / total) + '%)' : '');
            }
          } }
        }
      }
    });
    function unitName() { return state.unit === 'g' ? 'gCO2eq' : 'kWh'; }
    function update() {
      var s = data.series[state.grain];
      var busy = state.unit === 'g' ? s.busyG : s.busyKwh;
      var idle = state.unit === 'g' ? s.idleG : s.idleKwh;
      chart.data.labels = s.key.map(label);
      chart.data.datasets[0].data = busy.slice();
      chart.data.datasets[1].data = idle.slice();
      chart.options.scales.y.title.text = unitName() + ' per ' + state.grain;
      chart.update('none');
      var total = 0;
      busy.forEach(function (v) { total += v; });
      idle.forEach(function (v) { total += v; });
      canvas.setAttribute('data-grain', state.grain);
      canvas.setAttribute('data-unit', state.unit);
      canvas.setAttribute('data-bars', String(s.key.length));
      canvas.setAttribute('data-total', String(total));
      canvas.setAttribute('data-painted', String(painted(canvas)));
      document.querySelectorAll('#usage [data-grain]').forEach(function (b) {
        if (b !== canvas) { b.setAttribute('aria-pressed', String(b.getAttribute('data-grain') === state.grain)); }
      });
      document.querySelectorAll('#usage [data-unit]').forEach(function (b) {
        if (b !== canvas) { b.setAttribute('aria-pressed', String(b.getAttribute('data-unit') === state.unit)); }
      });
    }
    document.querySelectorAll('#usage button').forEach(function (b) {
      b.addEventListener('click', function () {
        if (b.hasAttribute('data-grain')) { state.grain = b.getAttribute('data-grain'); }
        if (b.hasAttribute('data-unit')) { state.unit = b.getAttribute('data-unit'); }
        update();
      });
    });
    update();
    return chart;
  })();

  // ------------------------------------------------------------------ calendar heatmap of daily carbon
  (function () {
    var host = document.getElementById('heatmap');
    var days = data.series.day;
    var byDate = {};
    var max = 0;
    days.key.forEach(function (k, i) {
      var g = days.busyG[i] + days.idleG[i];
      byDate[k] = g;
      if (g > max) { max = g; }
    });
    var years = [];
    days.key.forEach(function (k) {
      var y = +k.slice(0, 4);
      if (years.indexOf(y) < 0) { years.push(y); }
    });
    years.sort(function (a, b) { return b - a; });
    if (!years.length) {
      host.innerHTML = '<p class="note">No facts in this period.</p>';
      host.setAttribute('data-days', '0');
      return;
    }
    var SVG = 'http://www.w3.org/2000/svg';
    var CELL = 13, SIZE = 11, LEFT = 30, TOP = 16;
    var ramp = ['#fde7d4', '#fbbf8a', '#f58b4c', '#d9531e', '#9a3412'];
    var months = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
    var weekdays = ['Mon', '', 'Wed', '', 'Fri', '', ''];
    var cells = 0;
    function el(name, attrs) {
      var e = document.createElementNS(SVG, name);
      Object.keys(attrs).forEach(function (a) { e.setAttribute(a, attrs[a]); });
      return e;
    }
    function iso(d) { return d.toISOString().slice(0, 10); }
    years.forEach(function (year) {
      var title = document.createElement('div');
      title.className = 'year';
      var total = 0;
      Object.keys(byDate).forEach(function (k) { if (+k.slice(0, 4) === year) { total += byDate[k]; } });
      title.textContent = year + ': ' + f2.format(total / 1000) + ' kgCO2eq';
      host.appendChild(title);
      var jan1 = new Date(Date.UTC(year, 0, 1));
      var offset = (jan1.getUTCDay() + 6) % 7; // Monday = 0
      var svg = el('svg', { width: LEFT + 54 * CELL, height: TOP + 7 * CELL + 4, role: 'img',
        'aria-label': 'Daily carbon in ' + year, 'data-year': String(year) });
      for (var w = 0; w < 7; w++) {
        if (weekdays[w]) {
          var t = el('text', { x: 0, y: TOP + w * CELL + 9 });
          t.textContent = weekdays[w];
          svg.appendChild(t);
        }
      }
      for (var d = new Date(jan1); d.getUTCFullYear() === year; d.setUTCDate(d.getUTCDate() + 1)) {
        var dayOfYear = Math.round((d - jan1) / 86400000);
        var col = Math.floor((dayOfYear + offset) / 7), row = (d.getUTCDay() + 6) % 7;
        if (d.getUTCDate() === 1) {
          var m = el('text', { x: LEFT + col * CELL, y: 10 });
          m.textContent = months[d.getUTCMonth()];
          svg.appendChild(m);
        }
        var key = iso(d);
        var has = Object.prototype.hasOwnProperty.call(byDate, key);
        var g = has ? byDate[key] : 0;
        var level = !has ? -1 : max <= 0 ? 0 : Math.max(0, Math.min(4, Math.floor(5 * g / max - 1e-9)));
        var rect = el('rect', { x: LEFT + col * CELL, y: TOP + row * CELL, width: SIZE, height: SIZE, rx: 2,
          fill: level < 0 ? '#eef1f4' : ramp[level], 'data-date': key });
        var tip = el('title', {});
        if (has) {
          rect.setAttribute('data-g', String(g));
          tip.textContent = key + ': ' + f2.format(g / 1000) + ' kgCO2eq';
          cells++;
        } else {
          tip.textContent = key + ': no facts';
        }
        rect.appendChild(tip);
        svg.appendChild(rect);
      }
      host.appendChild(svg);
    });
    var legend = document.createElement('div');
    legend.className = 'legend';
    legend.innerHTML = 'less ' + ramp.map(function (c) { return '<i class="swatch" style="background:' + c + '"></i>'; }).join('')
      + ' more (up to ' + f2.format(max / 1000) + ' kgCO2eq a day)';
    host.appendChild(legend);
    host.setAttribute('data-days', String(cells));
  })();

  // ------------------------------------------------------------------ intensity by source, and when to run
  (function () {
    var canvas = document.getElementById('intensity-chart');
    var s = data.intensity;
    var win = data.window;
    var first = -1, last = -1;
    if (win) {
      first = s.ts.indexOf(win.slots[0]);
      last = s.ts.indexOf(win.slots[win.slots.length - 1]);
    }
    var highlight = {
      id: 'whenToRun',
      beforeDatasetsDraw: function (chart) {
        if (first < 0 || last < 0) { return; }
        var x = chart.scales.x, area = chart.chartArea, ctx = chart.ctx;
        var step = s.ts.length > 1 ? x.getPixelForValue(1) - x.getPixelForValue(0) : area.right - area.left;
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
    var sourceColor = function (i) { return COLORS[s.source[i]] || '#000'; };
    var radius = s.ts.length <= 800 ? 2.5 : 0;
    new Chart(canvas, {
      type: 'line',
      data: {
        labels: s.ts.map(function (t) { return t.slice(0, 10) + ' ' + t.slice(11, 16); }),
        datasets: [
          { label: 'intensity used', data: s.used, borderWidth: 2, pointRadius: radius, pointHoverRadius: 4,
            pointBackgroundColor: s.used.map(function (_, i) { return sourceColor(i); }),
            pointBorderColor: s.used.map(function (_, i) { return sourceColor(i); }),
            segment: { borderColor: function (ctx) { return sourceColor(ctx.p1DataIndex); } },
            borderColor: COLORS.actual },
          { label: 'forecast', data: s.forecast, borderColor: '#9aa5b1', borderDash: [4, 3], borderWidth: 1,
            pointRadius: 0, spanGaps: false }
        ]
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
              var i = c.dataIndex;
              if (c.datasetIndex === 1) { return 'forecast: ' + (s.forecast[i] == null ? '—' : f0.format(s.forecast[i])); }
              return 'used: ' + f0.format(s.used[i]) + ' (' + s.source[i] + ')'
                + (s.actual[i] == null ? '' : ', actual ' + f0.format(s.actual[i]))
                + (s.index[i] ? ', ' + s.index[i] : '');
            }
          } }
        }
      },
      plugins: [highlight]
    });
    canvas.setAttribute('data-slots', String(s.ts.length));
    canvas.setAttribute('data-window-drawn', String(first >= 0 && last >= 0));
    canvas.setAttribute('data-painted', String(painted(canvas)));
    if (win && (first < 0 || last < 0)) {
      var p = document.createElement('p');
      p.className = 'note';
      p.textContent = 'The window lies outside the period charted above.';
      document.getElementById('when-to-run').appendChild(p);
    }
  })();

  // ------------------------------------------------------------------ sortable tables
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
  document.querySelectorAll('table.sortable').forEach(function (table) {
    var heads = table.tHead.rows[table.tHead.rows.length - 1].cells;
    Array.prototype.forEach.call(heads, function (h, i) {
      h.addEventListener('click', function () {
        var numeric = h.getAttribute('data-type') === 'num';
        var current = h.getAttribute('aria-sort');
        var next = current ? (current === 'ascending' ? 'descending' : 'ascending') : (numeric ? 'descending' : 'ascending');
        sortTable(table, i, next);
      });
    });
  });
  if (options.sort) {
    var parts = options.sort.split(':');
    var table = document.getElementById('t-' + parts[0]);
    var column = parseInt(parts[1], 10);
    if (table && column >= 0 && column < table.tHead.rows[table.tHead.rows.length - 1].cells.length) {
      sortTable(table, column, parts[2] === 'asc' ? 'ascending' : 'descending');
    }
  }

  document.documentElement.setAttribute('data-ready', 'true');
  void usage;
})();
