/**
 * Babel plugin for Jest only. Jest's CommonJS runtime cannot run ES-module-only syntax, so in Nest's
 * ES modules `import.meta` becomes a CommonJS equivalent and `import(x)` becomes a `require` wrapped
 * as a namespace (what Node itself does for require(esm) outside Jest).
 */
module.exports = function esmToCommonJs({ template }) {
  const dynamicImport = template.expression(
    'Promise.resolve().then(() => { const m = require(SOURCE); return m && m.__esModule ? m : Object.assign({ default: m }, m); })',
  );
  return {
    visitor: {
      MetaProperty(path) {
        if (path.node.meta.name !== 'import' || path.node.property.name !== 'meta') return;
        // No `require` here: some modules declare a local `require` after using import.meta.
        path.replaceWithSourceString("({ url: 'file://' + __filename, filename: __filename, dirname: __dirname })");
      },
      CallExpression(path) {
        if (path.node.callee.type !== 'Import') return;
        path.replaceWith(dynamicImport({ SOURCE: path.node.arguments[0] }));
      },
    },
  };
};
