/* serve's live dashboard: fetches the API's objects for the chosen scope and period and draws them with AdaCarbon
   (carbon.js), the report's own drawing. It polls /health and fetches again when the database has changed.
   The token comes from the field, or once from the address's fragment (#token=…, never sent to the server), and
   is kept for this tab only (sessionStorage). Fragment options: scope, id, from, to (dates), grain, refresh (ms).
   State for tests: <html data-ready="true" data-loads="N" data-version="V">. */
(function () {
  'use strict';
  var options = AdaCarbon.fragment();
  var REFRESH = Math.max(200, +options.refresh || 5000);
  var STORE = 'ada-carbon-token';
  if (options.token) {
    sessionStorage.setItem(STORE, options.token);
    history.replaceState(null, '', location.pathname);
  }
  var token = sessionStorage.getItem(STORE) || '';
  var root = document.documentElement;
  var byId = function (id) { return document.getElementById(id); };
  var state = {
    scope: options.scope || 'ada', id: options.id || null, from: options.from || null, to: options.to || null,
    grain: ['hour', 'day', 'month'].indexOf(options.grain) >= 0 ? options.grain : null,
    version: null, newest: null, loads: 0, loading: false
  };
  var VIEW = { hour: 'day', day: 'month', month: 'year' };
  var TABLES = [['project', 'projects'], ['machine', 'machines'], ['group', 'groups'], ['user', 'users']];
  var lists = [];
  var chart = null;

  function status(text) { byId('status').textContent = text; }

  /** GET an API route; rejects with {status, detail} for an error answer. */
  function api(path, params) {
    var query = Object.keys(params || {}).filter(function (k) { return params[k] !== null && params[k] !== undefined; })
      .map(function (k) { return encodeURIComponent(k) + '=' + encodeURIComponent(params[k]); }).join('&');
    var headers = token ? { Authorization: 'Bearer ' + token } : {};
    return fetch(path + (query ? '?' + query : ''), { headers: headers, cache: 'no-store' }).then(function (r) {
      return r.json().then(function (body) {
        if (!r.ok) { throw { status: r.status, detail: body.detail || String(r.status) }; }
        return body;
      });
    });
  }

  function selection() {
    return state.scope === 'ada' ? { scope: 'ada' } : { scope: state.scope, id: state.id };
  }

  function period() {
    // Dates are UTC days; "to" is the last day shown, so the API's exclusive bound is the day after it.
    var to = null;
    if (state.to) {
      var d = new Date(state.to + 'T00:00:00Z');
      d.setUTCDate(d.getUTCDate() + 1);
      to = d.toISOString().slice(0, 10);
    }
    return { from: state.from, to: to };
  }

  function usage(grain) {
    var p = period(), s = selection();
    return api('/carbon/usage', { scope: s.scope, id: s.id, view: VIEW[grain], from: p.from, to: p.to });
  }

  /** Fills the scope picker with the platform and the entities the token may see. */
  function scopes(lists) {
    var select = byId('scope');
    AdaCarbon.clear(select);
    function add(value, label) {
      var o = AdaCarbon.el('option', { value: value }, label);
      if (value === state.scope + (state.scope === 'ada' ? '' : ':' + state.id)) { o.selected = true; }
      select.appendChild(o);
    }
    add('ada', 'the platform');
    lists.forEach(function (l) {
      l.table.rows.map(function (r) { return r.name; }).sort().forEach(function (name) { add(l.scope + ':' + name, l.scope + ': ' + name); });
    });
    select.setAttribute('data-options', String(select.options.length));
  }

  /** Everything for the current scope and period, then drawn. */
  function load() {
    if (state.loading) { return Promise.resolve(); }
    state.loading = true;
    root.setAttribute('data-ready', 'false');
    status('loading…');
    var p = period(), s = selection();
    var base;
    return Promise.all([
      usage('day'),
      api('/carbon/intensity', p),
      api('/carbon/intensity/forecast'),
      api('/workspaces/active', s),
      api('/carbon/footprint', { scope: s.scope, id: s.id, from: p.from, to: p.to }),
      // Only the tables this token may see (whoami says which): no table, and no choice, of the others.
      Promise.all(TABLES.filter(function (t) { return lists.indexOf(t[1]) >= 0; }).map(function (t) {
        return api('/' + t[1], p).then(function (table) { return { scope: t[0], table: table }; });
      }))
    ]).then(function (r) {
      base = r;
      var days = r[0];
      var grain = state.grain || AdaCarbon.defaultGrain(days.total.facts, days.first_ts, days.last_ts);
      var years = [];
      if (days.total.facts) {
        for (var y = +days.last_ts.slice(0, 4); y >= +days.first_ts.slice(0, 4) && years.length < 3; y--) { years.push(y); }
      }
      return Promise.all([
        grain === 'day' ? days : usage(grain),
        Promise.all(years.map(function (y) { return api('/carbon/heatmap', { year: y, scope: s.scope, id: s.id }); })),
        api('/carbon/equivalencies/' + (days.total.busy_gco2eq + days.total.idle_gco2eq))
      ]);
    }).then(function (more) {
      var days = base[0], intensity = base[1], forecast = base[2], workspaces = base[3];
      var footprint = base[4], tables = base[5];
      scopes(tables);
      byId('selection').textContent = s.scope === 'ada' ? '(the platform)' : '(' + s.scope + ' ' + s.id + ')';
      byId('period').textContent = p.from || p.to ? (p.from ? 'from ' + p.from + ' ' : '') + (p.to ? 'up to (not including) ' + p.to : 'on')
        : 'all facts';
      AdaCarbon.cards(days, { active: workspaces.count, cpuSlotsBySource: intensity.cpu_slots_by_source, grain: 'hour',
        footprint: footprint });
      if (!chart) {
        chart = AdaCarbon.usageChart({ grain: more[0].bucket, unit: options.unit }, function (grain) {
          state.grain = grain;
          usage(grain).then(chart.show, fail);
        });
      }
      chart.show(more[0]);
      AdaCarbon.heatmap(more[1]);
      AdaCarbon.intensity(intensity, forecast);
      byId('tables-note').textContent = p.from || p.to
        ? ' (for this period: the same sums and means over the timeseries views\' rows in it)' : '';
      AdaCarbon.tables(tables.map(function (l) { return l.table; }), 'hour', options.sort);
      AdaCarbon.equivalencies(more[2]);
      state.loads++;
      root.setAttribute('data-loads', String(state.loads));
      root.setAttribute('data-ready', 'true');
      status('updated ' + new Date().toISOString().slice(0, 19) + 'Z');
    }).catch(fail).then(function () { state.loading = false; });
  }

  function fail(e) {
    if (e && e.status === 401) {
      byId('token-field').hidden = false;
      status('this server needs a token: enter it above');
      root.setAttribute('data-ready', 'needs-token');
      return;
    }
    status('failed: ' + (e && e.detail ? e.status + ' ' + e.detail : e));
    root.setAttribute('data-ready', 'error');
    console.error('dashboard: ' + (e && e.detail ? e.status + ' ' + e.detail : e));
  }

  /** Fetches again when the sink has changed the database (health's data_version moved). */
  function poll() {
    api('/health').then(function (h) {
      byId('database').textContent = h.database;
      state.newest = h.newest_fact_ts;
      if (state.version !== null && h.data_version !== state.version) {
        state.version = h.data_version;
        root.setAttribute('data-version', String(h.data_version));
        return load();
      }
      state.version = h.data_version;
      root.setAttribute('data-version', String(h.data_version));
    }).catch(function () { status('the server does not answer'); });
  }

  byId('pickers').addEventListener('submit', function (e) {
    e.preventDefault();
    var t = byId('token').value.trim();
    if (t) { token = t; sessionStorage.setItem(STORE, t); byId('token').value = ''; start(); return; }
    var choice = byId('scope').value.split(':');
    state.scope = choice[0];
    state.id = choice.length > 1 ? choice.slice(1).join(':') : null;
    var preset = byId('period-preset').value;
    if (preset === 'all') {
      state.from = state.to = null;
    } else if (preset === 'custom') {
      state.from = byId('from').value || null;
      state.to = byId('to').value || null;
    } else if (state.newest) {
      var last = new Date(state.newest.slice(0, 10) + 'T00:00:00Z');
      state.to = last.toISOString().slice(0, 10);
      last.setUTCDate(last.getUTCDate() - (+preset - 1));
      state.from = last.toISOString().slice(0, 10);
    }
    byId('from').value = state.from || '';
    byId('to').value = state.to || '';
    load();
  });

  function start() {
    api('/whoami').then(function (who) {
      byId('token-field').hidden = !who.tokens;
      lists = who.lists;
      byId('caller').textContent = who.label + ' (' + who.role + (who.user_id ? ' ' + who.user_id : '')
        + (who.group_name ? ' ' + who.group_name : '') + ')';
      byId('from').value = state.from || '';
      byId('to').value = state.to || '';
      if (state.from || state.to) { byId('period-preset').value = 'custom'; }
      return load();
    }).catch(fail);
  }

  byId('token-field').hidden = true;
  poll();
  setInterval(poll, REFRESH);
  start();
})();
