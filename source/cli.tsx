#!/usr/bin/env node
// Placeholder entry while the layers are built; replaced by the real CLI.
console.log('lem-tui');
