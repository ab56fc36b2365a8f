// suppressions.cjs: the gate's own checks on Apex source text, beside PMD (used by
// lint-apex.cjs):
//   - every `@SuppressWarnings('PMD.Rule')` has a `//` comment on the line(s) right before it
//     (other annotations may sit in between) saying why; an ApexDoc block does not count, it
//     describes the member, not the exception to a rule;
//   - every suppressed name is a PMD Apex rule (a misspelt name suppresses nothing, and for a
//     rule the gate does not run nobody would notice), and no suppression switches off all of
//     PMD at once (`'PMD'`);
//   - whether a file is a test class, for rules that apply outside tests only.
// PMD itself honours the suppressions; this only checks they are explained and real.
'use strict';

const fs = require('node:fs');
const path = require('node:path');

const SUPPRESSION = /^\s*@SuppressWarnings\s*\(\s*'([^']*)'\s*\)/i;

/** Every .cls and .trigger file under the given files and folders, sorted. */
function apexFiles(paths) {
    const found = [];
    const visit = (p) => {
        const stat = fs.statSync(p);
        if (stat.isDirectory()) {
            for (const name of fs.readdirSync(p).sort()) {
                if (name !== 'node_modules' && name !== '.git') visit(path.join(p, name));
            }
        } else if (/\.(cls|trigger)$/i.test(p)) {
            found.push(path.resolve(p));
        }
    };
    paths.forEach(visit);
    return [...new Set(found)].sort();
}

/**
 * The source lines with block comments (ApexDoc included) blanked out, line numbers kept;
 * `//` comments and string literals stay (a '/*' inside a string opens no comment).
 */
function codeLines(text) {
    const lines = text.split(/\r?\n/);
    let inBlock = false;
    return lines.map((line) => {
        let out = '';
        let inString = false;
        for (let i = 0; i < line.length; i += 1) {
            const two = line.slice(i, i + 2);
            if (inBlock) {
                if (two === '*/') {
                    inBlock = false;
                    i += 1;
                }
            } else if (inString) {
                out += line[i];
                if (line[i] === '\\') {
                    out += line[i + 1] ?? '';
                    i += 1;
                } else if (line[i] === "'") {
                    inString = false;
                }
            } else if (two === '//') {
                return out + line.slice(i);
            } else if (two === '/*') {
                inBlock = true;
                i += 1;
            } else {
                inString = line[i] === "'";
                out += line[i];
            }
        }
        return out;
    });
}

/** True when the file's top-level type carries @IsTest (annotations before `class`). */
function isTestClass(text) {
    const code = codeLines(text)
        .map((l) => l.replace(/\/\/.*$/, ''))
        .join('\n');
    const head = code.split(/\bclass\b/i)[0];
    return /@IsTest\b/i.test(head);
}

/**
 * Problems with the suppressions in one file, as {line, column, rule, message}.
 * `knownRules` is the set of PMD Apex rule names.
 */
function checkSuppressions(file, text, knownRules) {
    const lines = codeLines(text);
    const problems = [];
    lines.forEach((line, index) => {
        const match = SUPPRESSION.exec(line);
        if (!match) return;
        const at = { line: index + 1, column: line.search(/@/) + 1 };
        const names = match[1]
            .split(',')
            .map((s) => s.trim())
            .filter(Boolean);
        const pmdNames = names.filter((n) => /^pmd(\.|$)/i.test(n));
        if (pmdNames.length === 0) return; // not a PMD suppression
        for (const name of pmdNames) {
            const rule = name.replace(/^pmd\.?/i, '');
            if (rule === '') {
                problems.push({ ...at, rule: 'SuppressionTooBroad',
                    message: `'${name}' switches off every PMD rule here: name the rules it is about` });
            } else if (!knownRules.has(rule)) {
                problems.push({ ...at, rule: 'UnknownSuppressedRule',
                    message: `'${name}' names no PMD Apex rule, so it suppresses nothing (check the spelling)` });
            }
        }
        let j = index - 1;
        while (j >= 0 && /^\s*@\w+/.test(lines[j]) && !/^\s*\/\//.test(lines[j])) j -= 1;
        const comment = j >= 0 ? /^\s*\/\/\s*(.*)$/.exec(lines[j]) : null;
        if (!comment || comment[1].trim() === '') {
            problems.push({ ...at, rule: 'UnexplainedSuppression',
                message: `@SuppressWarnings('${match[1]}') has no // comment on the line before it saying why the rule does not apply` });
        }
    });
    return problems;
}

module.exports = { apexFiles, checkSuppressions, isTestClass };
