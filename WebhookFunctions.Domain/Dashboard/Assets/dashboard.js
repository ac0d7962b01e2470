// The dashboard's only script. It holds no data of its own: it asks for the management key once (kept in this
// tab's sessionStorage) and calls the API with it. Text from the API is only ever set as textContent.
"use strict";

(() => {
  const api = "/v1/api";
  const keyName = "webhookfunctions.managementKey";
  const pageSize = 25;
  const historyPage = 20;
  const view = { page: 1, state: "", search: "", botId: null, historyBefore: null };

  const $ = (id) => document.getElementById(id);

  class ApiError extends Error {
    constructor(status, problem) {
      super(problem?.detail || problem?.title || `HTTP ${status}`);
      this.status = status;
      this.problem = problem;
    }
  }

  async function call(path, method = "GET", body) {
    const key = sessionStorage.getItem(keyName);
    const headers = { "x-functions-key": key ?? "" };
    if (body !== undefined) {
      headers["content-type"] = "application/json";
    }
    const response = await fetch(api + path, { method, headers, body: body === undefined ? undefined : JSON.stringify(body), cache: "no-store" });
    const text = await response.text();
    const json = text ? JSON.parse(text) : null;
    if (response.status === 401) {
      askForKey("The management key was refused (401 Unauthorized). Check it against Auth:ApiKeys and enter it again.");
      throw new ApiError(401, json);
    }
    if (!response.ok) {
      throw new ApiError(response.status, json);
    }
    return json;
  }

  // ----- key -----

  function askForKey(error) {
    sessionStorage.removeItem(keyName);
    $("main").hidden = true;
    $("run-sweep").disabled = true;
    $("key-error").textContent = error ?? "";
    $("key-input").value = "";
    if (!$("key-dialog").open) {
      $("key-dialog").showModal();
    }
    $("key-input").focus();
  }

  async function submitKey(event) {
    event.preventDefault();
    const key = $("key-input").value.trim();
    if (!key) {
      $("key-error").textContent = "Enter a key.";
      return;
    }
    sessionStorage.setItem(keyName, key);
    $("key-error").textContent = "";
    try {
      await refreshAll();
      $("key-dialog").close();
    } catch (error) {
      if (!(error instanceof ApiError && error.status === 401)) {
        $("key-error").textContent = `The dashboard could not load: ${error.message}`;
      }
    }
  }

  // ----- formatting -----

  function when(iso) {
    if (!iso) {
      return "never";
    }
    const date = new Date(iso.endsWith("Z") ? iso : iso + "Z");
    return date.toISOString().replace("T", " ").replace(/\.\d+Z$/, " UTC");
  }

  function label(state) {
    return String(state).replaceAll("_", " ");
  }

  function stateBadge(state) {
    const badge = document.createElement("span");
    badge.className = `state state-${String(state).replace(/[^a-z_]/g, "")}`;
    badge.textContent = label(state);
    return badge;
  }

  function facts(list, pairs) {
    list.replaceChildren();
    for (const [term, value] of pairs) {
      const dt = document.createElement("dt");
      dt.textContent = term;
      const dd = document.createElement("dd");
      if (value instanceof Node) {
        dd.append(value);
      } else {
        dd.textContent = value === null || value === undefined || value === "" ? "-" : String(value);
      }
      list.append(dt, dd);
    }
  }

  function notice(text) {
    $("notice").textContent = text;
  }

  // ----- summary and fleet -----

  async function refreshAll() {
    const [summary] = await Promise.all([call("/webhooks/telegram/summary"), refreshBots()]);
    renderSummary(summary);
    $("main").hidden = false;
    $("run-sweep").disabled = false;
  }

  function renderSummary(summary) {
    const counts = $("state-counts");
    counts.replaceChildren();
    counts.append(countItem(summary.total, document.createTextNode("all bots")));
    const filter = $("state-filter");
    const chosen = filter.value;
    filter.replaceChildren(new Option("every state", ""));
    for (const [state, count] of Object.entries(summary.by_state)) {
      const item = countItem(count, stateBadge(state));
      item.dataset.state = state;
      counts.append(item);
      filter.append(new Option(`${label(state)} (${count})`, state));
    }
    filter.value = chosen;

    const sweep = summary.last_sweep;
    const next = summary.next_sweep_at ? when(summary.next_sweep_at) : "not scheduled here";
    if (!sweep) {
      facts($("last-sweep"), [["Started", "no sweep has run yet"], ["Next sweep", next], ["Schedule", summary.schedule]]);
      return;
    }
    const found = Object.entries(sweep.counts).filter(([, n]) => n > 0).map(([outcome, n]) => `${n} ${label(outcome)}`).join(", ");
    facts($("last-sweep"), [
      ["Started", `${when(sweep.started_at)} (${sweep.trigger})`],
      ["Took", `${sweep.duration_ms} ms`],
      ["Status", label(sweep.status)],
      ["Checked", `${sweep.checked} bot(s)${found ? `: ${found}` : ""}`],
      ["Left for the next sweep", sweep.left_for_next_sweep],
      ["Detail", sweep.detail],
      ["Next sweep", next],
    ]);
  }

  function countItem(count, name) {
    const item = document.createElement("li");
    const number = document.createElement("span");
    number.className = "count";
    number.textContent = count;
    item.append(number, name);
    return item;
  }

  async function refreshBots() {
    const query = new URLSearchParams({ order: "state", page: view.page, size: pageSize });
    if (view.state) {
      query.set("state", view.state);
    }
    if (view.search) {
      query.set("search", view.search);
    }
    const fleet = await call(`/webhooks/telegram?${query}`);
    const pages = Math.max(1, Math.ceil(fleet.total / fleet.size));
    if (view.page > pages) {
      view.page = pages;
      return refreshBots();
    }
    renderBots(fleet, pages);
    return fleet;
  }

  function cell(row, name, content, className) {
    const td = document.createElement("td");
    td.dataset.label = name;
    if (className) {
      td.className = className;
    }
    if (content instanceof Node) {
      td.append(content);
    } else {
      td.textContent = content === null || content === undefined || content === "" ? "-" : String(content);
    }
    row.append(td);
  }

  function renderBots(fleet, pages) {
    const body = $("bot-table").tBodies[0];
    body.replaceChildren();
    for (const bot of fleet.bots) {
      const row = document.createElement("tr");
      row.dataset.botId = bot.bot_id;
      const open = document.createElement("button");
      open.type = "button";
      open.className = "link";
      open.textContent = bot.bot_id;
      open.setAttribute("aria-label", `Details of bot ${bot.bot_id}`);
      open.addEventListener("click", () => openDetail(bot.bot_id));
      cell(row, "Bot id", open);
      cell(row, "State", stateBadge(bot.state));
      cell(row, "Last check", when(bot.last_checked));
      cell(row, "Reason", bot.last_check_reason);
      cell(row, "Failures", bot.consecutive_failures);
      cell(row, "Pending", bot.pending_update_count);
      cell(row, "Last error", bot.last_error, "error-cell");
      body.append(row);
    }
    if (fleet.bots.length === 0) {
      const row = document.createElement("tr");
      cell(row, "", "No bot matches.");
      row.firstChild.colSpan = 7;
      body.append(row);
    }
    const filtered = [view.state && label(view.state), view.search && `id containing ${view.search}`].filter(Boolean).join(", ");
    $("bot-caption").textContent = `${fleet.total} bot(s)${filtered ? ` (${filtered})` : ""}`;
    $("page-info").textContent = `Page ${view.page} of ${pages}`;
    $("prev-page").disabled = view.page <= 1;
    $("next-page").disabled = view.page >= pages;
  }

  // ----- one bot -----

  async function openDetail(botId) {
    view.botId = botId;
    view.historyBefore = null;
    $("detail-title").textContent = `Bot ${botId}`;
    $("detail-error").textContent = "";
    $("detail-status").replaceChildren();
    $("timeline").replaceChildren();
    $("detail").hidden = false;
    $("detail").focus();
    await Promise.all([loadStatus(botId), loadHistory(botId, true)]);
  }

  async function loadStatus(botId) {
    try {
      const status = await call(`/webhooks/telegram/${botId}/webhook/status`);
      const matches = document.createElement("span");
      matches.textContent = status.url_matches ? "yes" : "no";
      matches.className = status.url_matches ? "state state-healthy" : "state state-failing";
      facts($("detail-status"), [
        ["Telegram's URL", status.url ?? "(none)"],
        ["Expected URL", status.expected_url ?? "(unknown: the public URL is not available now)"],
        ["URLs match", matches],
        ["Pending updates", status.pending_update_count],
        ["Last delivery error", status.last_error_date ? `${when(status.last_error_date)}: ${status.last_error_message ?? ""}` : "none"],
        ["Max connections", status.max_connections],
        ["Allowed updates", status.allowed_updates ? status.allowed_updates.join(", ") || "(all default types)" : "(Telegram's setting)"],
        ["Webhook enabled", status.webhook_enabled ? "yes" : "no (deleted by an operator, or never set)"],
        ["Auto-refresh", status.auto_refresh ? "on" : "off"],
        ["Last checked", when(status.last_checked)],
        ["Last set", when(status.last_set_at)],
        ["Last check", [status.last_check_outcome, status.last_check_reason].filter(Boolean).map(label).join(": ")],
        ["Last update received", when(status.last_update_received_at)],
      ]);
    } catch (error) {
      if (!(error instanceof ApiError && error.status === 401)) {
        $("detail-error").textContent = `getWebhookInfo failed: ${error.message}`;
      }
    }
  }

  function describe(entry) {
    switch (entry.kind) {
      case "registered": return "Credential registered";
      case "token_replaced": return "Token replaced";
      case "deactivated": return "Credential deactivated";
      case "webhook_set": return `Webhook set by the ${entry.actor}${entry.reason ? ` (${label(entry.reason)})` : ""}`;
      case "webhook_deleted": return `Webhook deleted by the ${entry.actor}${entry.reason ? ` (${label(entry.reason)})` : ""}`;
      case "state_changed": return `${label(entry.from_state)} \u2192 ${label(entry.to_state)}${entry.reason ? ` (${label(entry.reason)})` : ""}`;
      case "delivery_error": return `Telegram reported a delivery error at ${when(entry.telegram_error_at)}`;
      default: return label(entry.kind);
    }
  }

  async function loadHistory(botId, fresh) {
    const query = new URLSearchParams({ limit: historyPage });
    if (!fresh && view.historyBefore) {
      query.set("before", view.historyBefore);
    }
    try {
      const page = await call(`/webhooks/telegram/${botId}/webhook/history?${query}`);
      const list = $("timeline");
      if (fresh) {
        list.replaceChildren();
      }
      for (const entry of page.entries) {
        const item = document.createElement("li");
        item.dataset.kind = entry.kind;
        const time = document.createElement("time");
        time.dateTime = entry.at;
        time.textContent = when(entry.at);
        const what = document.createElement("span");
        what.className = "what";
        what.textContent = describe(entry);
        item.append(time, what);
        for (const extra of [entry.url, entry.message]) {
          if (extra) {
            const line = document.createElement("div");
            line.textContent = extra;
            item.append(line);
          }
        }
        list.append(item);
      }
      if (fresh && page.entries.length === 0) {
        const item = document.createElement("li");
        item.textContent = "Nothing recorded yet.";
        list.append(item);
      }
      view.historyBefore = page.next_before;
      $("older-history").hidden = page.next_before === null;
    } catch (error) {
      if (!(error instanceof ApiError && error.status === 401)) {
        $("detail-error").textContent = `The history could not load: ${error.message}`;
      }
    }
  }

  // ----- actions, each confirmed -----

  function confirmAction(title, text, okLabel) {
    const dialog = $("confirm-dialog");
    $("confirm-title").textContent = title;
    $("confirm-text").textContent = text;
    $("confirm-ok").textContent = okLabel;
    dialog.returnValue = "cancel";
    dialog.showModal();
    $("confirm-cancel").focus();
    return new Promise((resolve) => dialog.addEventListener("close", () => resolve(dialog.returnValue === "ok"), { once: true }));
  }

  async function act(run) {
    try {
      notice(await run());
    } catch (error) {
      if (!(error instanceof ApiError && error.status === 401)) {
        notice(`Failed: ${error.message}`);
      }
      return;
    }
    await refreshAll().catch(() => {});
    if (view.botId) {
      await openDetail(view.botId);
    }
  }

  async function runSweep() {
    if (!await confirmAction("Run a sweep now?", "Every due bot is checked at Telegram now and repaired if needed; pending updates are never dropped.", "Run the sweep")) {
      return;
    }
    await act(async () => {
      notice("Sweeping\u2026");
      const report = await call("/webhooks/telegram/check", "POST");
      return `Sweep ${label(report.status)}: checked ${report.checked}, ${report.refreshed} refreshed, ${report.failed} failed, ${report.token_rejected} token rejected, ${report.left_for_next_sweep} left for the next sweep.`;
    });
  }

  async function setWebhook() {
    const botId = view.botId;
    if (!await confirmAction("Set this webhook?", `Set the webhook of bot ${botId} to this service's URL with its stored settings. Pending updates are kept.`, "Set the webhook")) {
      return;
    }
    await act(async () => {
      await call(`/webhooks/telegram/${botId}/webhook/set`, "POST");
      return `The webhook of bot ${botId} was set.`;
    });
  }

  async function deleteWebhook() {
    const botId = view.botId;
    if (!await confirmAction("Delete this webhook?", `Delete the webhook of bot ${botId} at Telegram. Pending updates are kept; the checker leaves the bot alone until its webhook is set again.`, "Delete the webhook")) {
      return;
    }
    await act(async () => {
      await call(`/webhooks/telegram/${botId}/webhook/delete`, "POST", { drop_pending_updates: false });
      return `The webhook of bot ${botId} was deleted.`;
    });
  }

  // ----- wiring -----

  document.addEventListener("DOMContentLoaded", () => {
    $("key-form").addEventListener("submit", submitKey);
    $("key-dialog").addEventListener("cancel", (event) => event.preventDefault());
    $("change-key").addEventListener("click", () => askForKey());
    $("run-sweep").addEventListener("click", runSweep);
    $("set-webhook").addEventListener("click", setWebhook);
    $("delete-webhook").addEventListener("click", deleteWebhook);
    $("close-detail").addEventListener("click", () => {
      $("detail").hidden = true;
      view.botId = null;
    });
    $("older-history").addEventListener("click", () => loadHistory(view.botId, false));
    $("bot-filters").addEventListener("submit", (event) => {
      event.preventDefault();
      if (!$("search").checkValidity()) {
        $("search").reportValidity();
        return;
      }
      view.state = $("state-filter").value;
      view.search = $("search").value.trim();
      view.page = 1;
      refreshBots().catch((error) => notice(`Failed: ${error.message}`));
    });
    $("state-filter").addEventListener("change", () => $("bot-filters").requestSubmit());
    $("prev-page").addEventListener("click", () => {
      view.page -= 1;
      refreshBots().catch((error) => notice(`Failed: ${error.message}`));
    });
    $("next-page").addEventListener("click", () => {
      view.page += 1;
      refreshBots().catch((error) => notice(`Failed: ${error.message}`));
    });
    if (sessionStorage.getItem(keyName)) {
      refreshAll().catch((error) => {
        if (!(error instanceof ApiError && error.status === 401)) {
          notice(`The dashboard could not load: ${error.message}`);
          $("main").hidden = false;
        }
      });
    } else {
      askForKey();
    }
  });
})();
