// The dashboard's live behaviour. The page follows the event stream through htmx's SSE extension;
// this script makes it resume after the last event it saw, coalesces bursts into a few refreshes,
// appends step output to logs without jumping a reader who scrolled up, draws conversations and
// the overview's chart, and shows when the connection is lost. Text from events is inserted as
// text, never as HTML.
(function () {
  'use strict';

  var EVENT_TYPES = ['execution.queued', 'execution.started', 'execution.completed', 'step.started', 'step.output',
    'step.completed', 'approval.requested', 'approval.resolved', 'agent_started', 'agent_thinking', 'tool_executing',
    'tool_completed', 'agent_completed', 'agent_error', 'task.status_changed', 'session.started', 'session.activity',
    'session.completed'];
  var REFRESH_GAP_MS = 500;
  var REFRESH_GIVE_UP_MS = 5000;

  var lastId = Number(document.documentElement.dataset.since || 0);

  // 1. Resume: every event source the SSE extension opens (the first and each reconnection)
  //    starts right after the last event this page has seen.
  htmx.createEventSource = function (url) {
    var resumed = new URL(url, window.location.href);
    resumed.searchParams.set('since', String(lastId));
    return new EventSource(resumed.toString(), { withCredentials: true });
  };

  // A source opens once, and again after each reconnection the browser makes by itself (sending
  // Last-Event-ID); when the extension replaces a closed source, the new one resumes by `since`.
  document.addEventListener('htmx:sseOpen', function (e) {
    setConnection(true);
    var source = e.detail.source;
    if (source.__stepwise) return;
    source.__stepwise = true;
    EVENT_TYPES.forEach(function (type) { source.addEventListener(type, receive); });
    source.addEventListener('error', streamEnded);
  });
  document.addEventListener('htmx:sseError', function (e) {
    setConnection(false);
    if (e.detail.source && e.detail.source.readyState === EventSource.CLOSED) checkSession();
  });

  // The server ends a stream with an `error` event when the session may no longer read it; the
  // page is then reloaded, which leads to sign-in. (Without data, `error` is a dropped connection.)
  function streamEnded(message) {
    if (!message.data) return;
    var reason = {};
    try { reason = JSON.parse(message.data); } catch (ignored) { /* not ours */ }
    if (reason.code === 'UNAUTHENTICATED' || reason.code === 'FORBIDDEN') window.location.reload();
  }

  // A stream refused outright may mean the session has ended: if the page itself now sends the
  // browser to sign in, go there instead of retrying for ever.
  function checkSession() {
    fetch(window.location.href, { method: 'HEAD', redirect: 'manual', credentials: 'same-origin' })
      .then(function (response) { if (response.type === 'opaqueredirect') window.location.reload(); })
      .catch(function () { /* offline: the extension keeps retrying */ });
  }

  function setConnection(up) {
    var banner = document.getElementById('connection');
    if (!banner) return;
    banner.hidden = up;
    document.documentElement.dataset.live = up ? 'up' : 'down';
  }

  function receive(message) {
    var id = Number(message.lastEventId);
    if (!(id > lastId)) return; // seen already
    lastId = id;
    var event;
    try { event = JSON.parse(message.data); } catch (ignored) { return; }
    refreshRegions(event);
    if (event.type === 'step.output') appendOutput(event);
    Transcript.receive(event);
  }

  // 2. Regions that re-render on events: at most one refresh per REFRESH_GAP_MS each, and always
  //    one after the last event of a burst, so a thousand events cost a handful of renders. A
  //    refresh replaces its region's element, so the schedule is kept by the region's id. Each
  //    region remembers the last event that concerns it (`wanted`) and the last event the page had
  //    when a refresh of it was actually sent (`covered`: the server renders after that, so the
  //    answer shows it); when a refresh ends, another follows while `wanted` is ahead. A refresh that
  //    never went out (its request cancelled, or queued by htmx behind one whose element was then
  //    replaced) or never answered thus cannot leave the region behind.
  var regions = {};

  function refreshRegions(event) {
    document.querySelectorAll('[data-refresh-on]').forEach(function (region) {
      if (region.dataset.refreshOn.split(' ').indexOf(event.type) < 0) return;
      if (region.dataset.refreshTopic && region.dataset.refreshTopic !== event.topic) return;
      regionState(region.id).wanted = lastId;
      schedule(region.id);
    });
  }

  function regionState(id) {
    return regions[id] || (regions[id] = { queued: false, inFlight: false, at: 0, wanted: 0, covered: 0 });
  }

  function schedule(id) {
    var state = regionState(id);
    if (state.inFlight || state.queued) return; // the refresh on its way is followed by another if it is behind
    state.queued = true;
    window.setTimeout(function () {
      state.queued = false;
      var region = document.getElementById(id);
      if (!region) return;
      var at = Date.now();
      state.inFlight = true;
      state.at = at;
      htmx.trigger(region, 'refresh');
      // a refresh that never answers (dropped, or its element replaced on the way) does not stop
      // the region's schedule
      window.setTimeout(function () { if (state.at === at) refreshed(id); }, REFRESH_GIVE_UP_MS);
    }, Math.max(50, state.at + REFRESH_GAP_MS - Date.now()));
  }

  function refreshed(id) {
    var state = regions[id];
    if (!state || !state.inFlight) return;
    state.inFlight = false;
    if (state.wanted > state.covered) schedule(id);
  }

  // 3. Step logs: lines after the log's own cursor are appended once per frame; the view follows
  //    the end only while the reader is at the end.
  function appendOutput(event) {
    var data = event.data;
    var log = document.querySelector('pre.log[data-execution="' + data.execution_id + '"][data-step="'
      + data.step_number + '"]');
    if (!log || event.id <= Number(log.dataset.cursor || 0)) return;
    log.dataset.cursor = String(event.id);
    log.__pending = (log.__pending || []).concat(data.lines || []);
    if (log.__scheduled) return;
    log.__scheduled = true;
    window.requestAnimationFrame(function () {
      log.__scheduled = false;
      var atEnd = log.scrollHeight - log.scrollTop - log.clientHeight < 8;
      var text = log.__pending.join('\n') + '\n';
      log.__pending = [];
      log.appendChild(document.createTextNode(text));
      var empty = log.parentNode.querySelector('.log-empty');
      if (empty) empty.hidden = true;
      if (atEnd) log.scrollTop = log.scrollHeight;
    });
  }

  // 4. Conversations: the thread's past events come with the page, later ones from the stream;
  //    one renderer draws both.
  var Transcript = (function () {
    var root = null;
    var cursor = 0;
    var thinking = {};

    function init() {
      root = document.getElementById('transcript');
      if (!root) return;
      var history = document.getElementById('history');
      var events = history ? JSON.parse(history.textContent) : [];
      events.forEach(draw);
      if (events.length) cursor = events[events.length - 1].id;
      scrollToEnd();
    }

    function receive(event) {
      if (!root || event.id <= cursor) return;
      if (event.topic !== 'thread:' + root.dataset.thread) return;
      cursor = event.id;
      var atEnd = window.innerHeight + window.scrollY >= document.body.scrollHeight - 40;
      draw(event);
      if (atEnd) scrollToEnd();
    }

    function draw(event) {
      var d = event.data || {};
      var run = d.run_id;
      switch (event.type) {
        case 'agent_started':
          bubble('user', d.prompt, 'You');
          break;
        case 'agent_thinking':
          var key = run + ':' + d.turn;
          if (!thinking[key]) thinking[key] = bubble('thinking', '', (d.agent || 'agent') + ' is thinking');
          var body = thinking[key].querySelector('.text');
          body.textContent = d.delta ? body.textContent + (d.content || '') : (d.content || '');
          break;
        case 'tool_executing':
          var call = bubble('tool', JSON.stringify(d.arguments, null, 2), 'Tool call: ' + d.tool);
          call.dataset.call = run + ':' + d.call_id;
          break;
        case 'tool_completed':
          var card = root.querySelector('[data-call="' + CSS.escape(run + ':' + d.call_id) + '"]');
          var result = element('div', 'tool-result');
          result.appendChild(element('div', 'label', 'Result (' + d.status
            + (d.exit_code === null || d.exit_code === undefined ? '' : ', exit code ' + d.exit_code) + ')'));
          result.appendChild(element('pre', 'text', d.output || ''));
          (card || bubble('tool', '', 'Tool ' + d.tool)).appendChild(result);
          break;
        case 'agent_completed':
          bubble('assistant', d.reply, d.agent || 'agent');
          break;
        case 'agent_error':
          bubble('error', d.error, 'The run ended: ' + d.code);
          break;
        default:
      }
    }

    function bubble(kind, text, label) {
      var entry = element('article', 'entry entry-' + kind);
      entry.appendChild(element('div', 'label', label));
      entry.appendChild(element(kind === 'tool' ? 'pre' : 'div', 'text', text || ''));
      root.appendChild(entry);
      return entry;
    }

    function scrollToEnd() {
      var end = document.getElementById('composer');
      if (end) end.scrollIntoView({ block: 'end' });
    }

    return { init: init, receive: receive };
  }());

  function element(tag, className, text) {
    var node = document.createElement(tag);
    if (className) node.className = className;
    if (text !== undefined) node.textContent = text;
    return node;
  }

  // 5. The overview's chart of finished executions per minute.
  function drawCharts() {
    document.querySelectorAll('[data-chart]').forEach(function (box) {
      if (box.querySelector('.uplot')) return; // drawn already
      var series = JSON.parse(box.dataset.chart);
      box.textContent = '';
      var style = getComputedStyle(document.documentElement);
      /* global uPlot */
      new uPlot({
        width: Math.max(320, box.clientWidth), height: 200,
        series: [{}, { label: 'completed', stroke: style.getPropertyValue('--ok').trim(), width: 2 },
          { label: 'failed', stroke: style.getPropertyValue('--bad').trim(), width: 2 }],
        axes: [{ stroke: style.getPropertyValue('--muted').trim() }, { stroke: style.getPropertyValue('--muted').trim() }]
      }, [series.t, series.completed, series.failed], box);
    });
  }

  // 6. Forms sent by htmx carry the CSRF token in a header as well.
  document.addEventListener('htmx:configRequest', function (e) {
    var token = document.querySelector('meta[name="csrf-token"]');
    if (token) e.detail.headers['X-CSRF-Token'] = token.content;
  });
  // A region's refresh leaves: its answer will show every event this page has received so far.
  // (Sent from an element no longer on the page, it reaches no one here, and its answer no one.)
  document.addEventListener('htmx:beforeSend', function (e) {
    var elt = e.detail.elt;
    if (elt && elt.id && regions[elt.id] && elt.hasAttribute('data-refresh-on')) regions[elt.id].covered = lastId;
  });
  // When a region's refresh has its answer (or failed), its schedule may go on. These events come
  // before the old element leaves the page, so they still reach the document; a new chart is drawn.
  ['htmx:beforeSwap', 'htmx:afterRequest', 'htmx:sendError', 'htmx:timeout'].forEach(function (name) {
    document.addEventListener(name, function (e) {
      if (e.detail.elt && e.detail.elt.id) refreshed(e.detail.elt.id);
    });
  });
  document.addEventListener('htmx:afterSettle', drawCharts);

  document.addEventListener('DOMContentLoaded', function () {
    Transcript.init();
    drawCharts();
    document.querySelectorAll('pre.log').forEach(function (log) { log.scrollTop = log.scrollHeight; });
  });
}());
