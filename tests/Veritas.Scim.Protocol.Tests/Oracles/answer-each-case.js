// Shared by the npm oracles: reads {"cases":[…]} on stdin and writes the JSON array of
// answer(case), one per case, on stdout.
'use strict';

module.exports = function answerEachCase(answer) {
  let input = '';
  process.stdin.setEncoding('utf8');
  process.stdin.on('data', chunk => { input += chunk; });
  process.stdin.on('end', () => {
    const { cases } = JSON.parse(input);
    process.stdout.write(JSON.stringify(cases.map(answer)));
  });
};
