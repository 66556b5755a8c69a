// Reads {"cases":[{"resource":{…},"operations":[…]},…]} on stdin and writes, per case,
// {"error":"<error class>: <message>"} when scim-patch refuses the operations, else {"resource":{…}}.
// Operations are applied one at a time, as scimPatch does; a remove through a value filter that
// matches nothing (or an attribute with no value) is skipped rather than refused
// (NpmPatchDifferentialTests, rule 5).
'use strict';
const { scimPatch } = require('scim-patch');
const { parse, filter } = require('scim2-parse-filter');
const answerEachCase = require('../../Oracles/answer-each-case.js');

// RFC 7644 §3.5.2: a value made primary makes every other value not primary. scim-patch leaves
// that to its caller, so it is applied here after each operation: the e-mails that are primary now
// and were not before win (the last of them, when one operation made several), the others lose.
function canonical(value) {
  return JSON.stringify(value, (key, v) => v && typeof v === 'object' && !Array.isArray(v)
    ? Object.fromEntries(Object.keys(v).sort().map(k => [k, v[k]]))
    : v);
}

function keepOnePrimary(operation, before, after) {
  const emails = Array.isArray(after.emails) ? after.emails : [];
  const throughFilter = /^emails\[(.*)\]\.primary$/i.exec(String(operation.path || ''));
  if (throughFilter && operation.value === true) {
    // Made primary through a filter: every value it matches was written, and the last of them wins
    // (the filter read as scim-patch reads it, with scim2-parse-filter).
    const matches = emails.filter(filter(parse(throughFilter[1])));
    const winner = matches[matches.length - 1];
    for (const e of emails) {
      if (e !== winner && e && e.primary === true) {
        e.primary = false;
      }
    }
    return after;
  }
  // A value the operation itself sends as primary wins (the last of them, as the gateway writes them in order).
  const sent = Array.isArray(operation.value) ? operation.value : (operation.value && typeof operation.value === 'object' ? [operation.value] : []);
  const sentPrimary = new Set(sent.filter(v => v && v.primary === true).map(canonical));
  if (/^emails(\[|$)/i.test(String(operation.path || '')) && sentPrimary.size > 0) {
    const written = emails.filter(e => e && e.primary === true && sentPrimary.has(canonical(e)));
    if (written.length > 0) {
      const winner = written[written.length - 1];
      for (const e of emails) {
        if (e !== winner && e && e.primary === true) {
          e.primary = false;
        }
      }
      return after;
    }
  }
  // Otherwise values are told apart by content, counted: of identical primary values, those beyond
  // the number there were before are the new ones.
  const wasPrimary = new Map();
  for (const e of (Array.isArray(before.emails) ? before.emails : []).filter(e => e && e.primary === true)) {
    const key = JSON.stringify(e);
    wasPrimary.set(key, (wasPrimary.get(key) || 0) + 1);
  }
  const made = emails.filter(e => {
    if (!e || e.primary !== true) {
      return false;
    }
    const key = JSON.stringify(e);
    const left = wasPrimary.get(key) || 0;
    wasPrimary.set(key, left - 1);
    return left <= 0;
  });
  if (made.length === 0) {
    return after;
  }
  const winner = made[made.length - 1];
  for (const e of emails) {
    if (e !== winner && e && e.primary === true) {
      e.primary = false;
    }
  }
  return after;
}

function apply(resource, operations) {
  let current = resource;
  for (const operation of operations) {
    try {
      const before = JSON.parse(JSON.stringify(current));
      current = keepOnePrimary(operation, before, scimPatch(current, [operation]));
    } catch (e) {
      if (String(operation.op).toLowerCase() === 'remove' && e && e.constructor && ['FilterOnEmptyArray', 'FilterArrayTargetNotFound'].includes(e.constructor.name)) {
        continue;
      }
      throw e;
    }
  }
  return current;
}

answerEachCase(c => {
  try {
    return { resource: apply(c.resource, c.operations) };
  } catch (e) {
    return { error: `${e && e.constructor && e.constructor.name}: ${e && e.message || e}` };
  }
});
