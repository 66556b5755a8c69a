// Reads {"cases":[{"filter":"…","documents":[{…},…]},…]} on stdin and writes, per case,
// {"error":"…"} when scim2-parse-filter cannot parse the filter, else {"matches":[true,false,…]}.
'use strict';
const { parse, filter } = require('scim2-parse-filter');
const answerEachCase = require('../../Oracles/answer-each-case.js');

answerEachCase(c => {
  let test;
  try {
    test = filter(parse(c.filter));
  } catch (e) {
    return { error: String(e && e.message || e) };
  }
  return { matches: c.documents.map(d => test(d) === true) };
});
