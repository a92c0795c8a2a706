// Loads a Cytoscape.js elements file with the real cytoscape package,
// headless, and prints what it made of it as JSON, for the export tests:
// the node and edge counts, the edges whose ends it could not find, and the
// neighbours of the node named by the second argument.
'use strict';
const fs = require('fs');
const cytoscape = require('cytoscape');

const [file, probe] = process.argv.slice(2);
const doc = JSON.parse(fs.readFileSync(file, 'utf8'));
const errors = [];
const origError = console.error;
console.error = (...args) => errors.push(args.join(' ')); // cytoscape reports dangling edges here
const cy = cytoscape({ headless: true, elements: doc.elements });
console.error = origError;
const node = cy.getElementById(probe);
console.log(JSON.stringify({
  nodes: cy.nodes().length,
  edges: cy.edges().length,
  errors,
  neighbours: node.empty() ? [] : node.neighborhood('node').map((n) => n.data('label')).sort(),
  dated: cy.edges('[start]').length,
}));
