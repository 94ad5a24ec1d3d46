#!/usr/bin/env node
// Starts the tslab kernel from the repository root, whatever directory
// Jupyter launches it in. tslab compiles cells with rootDir = the current
// directory, so lib/ must sit below it: with the root as the working
// directory, notebooks import the library as "./lib".
"use strict";
const path = require("path");
process.chdir(path.resolve(__dirname, ".."));
require("../node_modules/tslab/dist/main.js").main();
