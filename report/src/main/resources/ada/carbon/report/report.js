/* The static report: its figures are embedded in <script id="report-data"> as the API's JSON objects (the same
   ones serve's dashboard fetches), and AdaCarbon (carbon.js) draws them. When everything is drawn,
   <html data-ready="true">. */
(function () {
  'use strict';
  var data = JSON.parse(document.getElementById('report-data').textContent);
  var options = AdaCarbon.fragment();
  var total = data.usage.hour;
  AdaCarbon.cards(total, { active: data.active_workspaces, cpuSlotsBySource: data.intensity.cpu_slots_by_source,
    grain: data.grain, footprint: data.footprint });
  var initial = ['hour', 'day', 'month'].indexOf(options.grain) >= 0 ? options.grain
    : AdaCarbon.defaultGrain(total.total.facts, total.first_ts, total.last_ts);
  var chart = AdaCarbon.usageChart({ grain: initial, unit: options.unit }, function (grain) {
    chart.show(data.usage[grain]);
  });
  chart.show(data.usage[initial]);
  AdaCarbon.heatmap(data.heatmaps);
  AdaCarbon.intensity(data.intensity, data.forecast);
  document.getElementById('tables-note').textContent = data.period.from === null && data.period.to === null ? ''
    : ' (for this period: the same sums and means over the timeseries views\' rows in it)';
  AdaCarbon.tables(data.tables, data.grain, options.sort);
  AdaCarbon.equivalencies(data.equivalencies);
  AdaCarbon.ready();
})();
