#!/usr/bin/env node
// lint-apex.cjs: run PMD's Apex rules through Salesforce Code Analyzer core (no sf CLI needed;
// Java >= 11 must be on PATH for the PMD engine), plus the gate's own checks on suppressions
// (suppressions.cjs): every `@SuppressWarnings('PMD.X')` needs a `//` comment right above it
// saying why, and must name a real rule.
//
// Usage: node lint-apex.cjs [--rules sel1,sel2] [--not-in-tests rule1,rule2] [--json] [--abs] PATH...
//   --rules         comma-separated selectors: rule names (OperationWithLimitsInLoop), tags or
//                   engine:tag (pmd:Recommended). Default pmd:Recommended.
//   --not-in-tests  rules (among those selected) whose findings in test classes (top-level
//                   @IsTest) are dropped, e.g. AvoidDebugStatements: a test may log.
//   --json          print the findings as a JSON array instead of FILE:LINE:COL: lines.
//   --abs           print absolute file paths (default: relative when inside the current folder).
// PATHs are files or folders. The selected rule count goes to stderr.
//
// Exit: 0 no findings, 1 findings, 2 the tool failed: a file could not be parsed (PMD reports
// that as an engine error log, not as a violation), an engine error occurred, or fewer rules
// were selected than asked for (core silently drops unknown rule names).
'use strict';

const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const core = require('@salesforce/code-analyzer-core');
const { createEnginePlugin } = require('@salesforce/code-analyzer-pmd-engine');
const { apexFiles, checkSuppressions, isTestClass } = require('./suppressions.cjs');

function usage() {
    console.error(
        'usage: node lint-apex.cjs [--rules sel1,sel2] [--not-in-tests rule1,rule2] [--json] [--abs] PATH...'
    );
    return 2;
}

// Paths inside the current folder are shown relative to it, others (and all with --abs) absolute.
function showPath(file, absolute) {
    if (!file) return '?';
    const abs = path.resolve(file);
    const rel = path.relative(process.cwd(), abs);
    return absolute || rel === '' || rel.startsWith('..') || path.isAbsolute(rel) ? abs : rel;
}

async function lint(argv) {
    const args = [...argv];
    // take(flag): the value after flag (removed from args), null when absent, undefined when
    // the flag has no value.
    const take = (flag) => {
        const i = args.indexOf(flag);
        return i < 0 ? null : args.splice(i, 2)[1];
    };
    const rulesArg = take('--rules') ?? 'pmd:Recommended';
    const notInTestsArg = take('--not-in-tests') ?? '';
    if (rulesArg === undefined || notInTestsArg === undefined) return usage();
    const notInTests = new Set(
        notInTestsArg
            .split(',')
            .map((s) => s.trim())
            .filter(Boolean)
    );
    const asJson = args.includes('--json');
    const absPaths = args.includes('--abs');
    const paths = args.filter((a) => a !== '--json' && a !== '--abs');
    if (paths.length === 0) return usage();
    for (const p of paths) {
        if (!fs.existsSync(p)) {
            console.error(`lint-apex: no such file or folder: ${p}`);
            return 2;
        }
    }
    const selectors = rulesArg
        .split(',')
        .map((s) => s.trim())
        .filter(Boolean);
    if (selectors.length === 0) return usage();

    // Keep core's log file and engine working folders in a private temp folder we delete at the
    // end (core may leave code-analyzer-* folders behind after engine errors).
    const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'lint-apex-'));
    try {
        // CPD is a second engine in the same plugin; switch it off so only PMD runs.
        const config = core.CodeAnalyzerConfig.fromObject({
            log_folder: scratch,
            root_working_folder: scratch,
            engines: { cpd: { disable_engine: true } }
        });
        const analyzer = new core.CodeAnalyzer(config);
        let engineErrors = 0;
        analyzer.onEvent(core.EventType.EngineLogEvent, (e) => {
            if (e.logLevel === core.LogLevel.Error) {
                engineErrors += 1;
                console.error(`lint-apex: engine error: ${e.message}`);
            }
        });
        analyzer.onEvent(core.EventType.LogEvent, (e) => {
            if (e.logLevel === core.LogLevel.Error) {
                engineErrors += 1;
                console.error(`lint-apex: error: ${e.message}`);
            }
        });
        await analyzer.addEnginePlugin(createEnginePlugin());
        const workspace = await analyzer.createWorkspace(paths);
        const rules = await analyzer.selectRules(selectors, { workspace });

        // Unknown rule names are silently not selected: every selector must select at least one
        // rule on its own (rule discovery is cached per workspace, so this costs nothing), and the
        // total must be at least the number of selectors.
        const missing = [];
        for (const s of selectors) {
            if ((await analyzer.selectRules([s], { workspace })).getCount() === 0) missing.push(s);
        }
        const selected = rules.getEngineNames().flatMap((eng) => rules.getRulesFor(eng));
        console.error(
            `lint-apex: selected ${rules.getCount()} rule(s) for ${selectors.length} selector(s)` +
                (rules.getCount() <= 10 ? `: ${selected.map((r) => r.getName()).join(', ')}` : '')
        );
        if (rules.getCount() < selectors.length || missing.length > 0) {
            console.error(
                `lint-apex: fewer rules selected than asked for` +
                    (missing.length ? ` (selecting nothing: ${missing.join(', ')})` : '')
            );
            return 2;
        }

        const selectedNames = new Set(selected.map((r) => r.getName()));
        const notSelected = [...notInTests].filter((r) => !selectedNames.has(r));
        if (notSelected.length > 0) {
            console.error(`lint-apex: --not-in-tests names rules not selected: ${notSelected.join(', ')}`);
            return 2;
        }

        const results = await analyzer.run(rules, { workspace });
        // Engine crashes surface as violations of the special "UnexpectedEngineError" rule.
        const crashed = results
            .getViolations()
            .some((v) => v.getRule().getName() === 'UnexpectedEngineError');

        const files = apexFiles(paths);
        const texts = new Map(files.map((f) => [f, fs.readFileSync(f, 'utf8')]));
        const tests = new Set(files.filter((f) => isTestClass(texts.get(f))));
        const findings = [];
        let droppedInTests = 0;
        for (const v of results.getViolations()) {
            const at = v.getPrimaryLocation();
            const file = at.getFile() ? path.resolve(at.getFile()) : null;
            if (notInTests.has(v.getRule().getName()) && file && tests.has(file)) {
                droppedInTests += 1;
                continue;
            }
            findings.push({
                file,
                line: at.getStartLine() ?? null,
                column: at.getStartColumn() ?? null,
                rule: v.getRule().getName(),
                severity: v.getRule().getSeverityLevel(),
                message: v.getMessage()
            });
        }
        const knownRules = new Set(
            (await analyzer.selectRules(['pmd:all'], { workspace }))
                .getRulesFor('pmd')
                .map((r) => r.getName())
        );
        for (const file of files) {
            for (const p of checkSuppressions(file, texts.get(file), knownRules)) {
                findings.push({ file, severity: 2, ...p });
            }
        }
        if (notInTests.size > 0) {
            console.error(
                `lint-apex: ${droppedInTests} finding(s) of ${[...notInTests].join(', ')} in ${tests.size} test class(es) not reported`
            );
        }
        findings.sort((a, b) =>
            (a.file ?? '').localeCompare(b.file ?? '') || (a.line ?? 0) - (b.line ?? 0) || a.rule.localeCompare(b.rule)
        );

        if (asJson) {
            console.log(JSON.stringify(findings.map((f) => ({ ...f, file: showPath(f.file, absPaths) })), null, 2));
        } else {
            for (const f of findings) {
                console.log(
                    `${showPath(f.file, absPaths)}:${f.line ?? '?'}:${f.column ?? '?'}: ` +
                        `${f.rule} (sev ${f.severity}): ${f.message}`
                );
            }
        }
        if (engineErrors > 0 || crashed) return 2;
        return findings.length > 0 ? 1 : 0;
    } finally {
        if (!process.env.LINT_APEX_KEEP_TMP) fs.rmSync(scratch, { recursive: true, force: true });
    }
}

lint(process.argv.slice(2)).then(
    (code) => {
        process.exitCode = code;
    },
    (err) => {
        console.error(err);
        process.exitCode = 2;
    }
);
