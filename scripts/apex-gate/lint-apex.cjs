#!/usr/bin/env node
// lint-apex.cjs: run PMD's Apex rules through Salesforce Code Analyzer core (no sf CLI needed;
// Java >= 11 must be on PATH for the PMD engine).
//
// Usage: node lint-apex.cjs [--rules sel1,sel2] [--json] [--abs] PATH...
//   --rules  comma-separated selectors: rule names (OperationWithLimitsInLoop), tags or
//            engine:tag (pmd:Recommended). Default pmd:Recommended.
//   --json   print Code Analyzer's JSON results instead of FILE:LINE:COL: lines.
//   --abs    print absolute file paths (default: relative when inside the current folder).
// PATHs are files or folders. The selected rule count goes to stderr.
//
// Exit: 0 no violations, 1 violations, 2 the tool failed: a file could not be parsed (PMD
// reports that as an engine error log, not as a violation), an engine error occurred, or fewer
// rules were selected than asked for (core silently drops unknown rule names).
'use strict';

const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const core = require('@salesforce/code-analyzer-core');
const { createEnginePlugin } = require('@salesforce/code-analyzer-pmd-engine');

function usage() {
    console.error('usage: node lint-apex.cjs [--rules sel1,sel2] [--json] [--abs] PATH...');
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
    let rulesArg = 'pmd:Recommended';
    const i = args.indexOf('--rules');
    if (i >= 0) {
        if (i + 1 >= args.length) return usage();
        rulesArg = args.splice(i, 2)[1];
    }
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

        const results = await analyzer.run(rules, { workspace });

        if (asJson) {
            console.log(core.RunResultsFormatter.forFormat(core.OutputFormat.JSON).format(results));
        } else {
            for (const v of results.getViolations()) {
                const at = v.getPrimaryLocation();
                const file = showPath(at.getFile(), absPaths);
                console.log(
                    `${file}:${at.getStartLine() ?? '?'}:${at.getStartColumn() ?? '?'}: ` +
                        `${v.getRule().getName()} (sev ${v.getRule().getSeverityLevel()}): ${v.getMessage()}`
                );
            }
        }
        // Engine crashes surface as violations of the special "UnexpectedEngineError" rule.
        const crashed = results
            .getViolations()
            .some((v) => v.getRule().getName() === 'UnexpectedEngineError');
        if (engineErrors > 0 || crashed) return 2;
        return results.getViolationCount() > 0 ? 1 : 0;
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
