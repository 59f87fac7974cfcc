#!/usr/bin/env node
// The package's command. A committed file rather than dist/cli/cli.js itself, so that npm links it
// at install time, before dist/ is built (in this repository's workspace, and in a fresh clone).
import '../dist/cli/cli.js';
