// Prepares web/ for the browser without a bundler. Two jobs:
//
//  1. vendor: copy the front-end libraries out of node_modules into
//     web/vendor/, rewriting their bare imports ("vue") into relative paths,
//     because the server's CSP forbids the inline import map that would
//     otherwise resolve them.
//  2. templates: compile every web/src/**/Name.html into Name.render.js with
//     @vue/compiler-dom, because the CSP also forbids 'unsafe-eval', which
//     Vue's in-browser template compiler needs.
//
// Both steps skip outputs that are newer than their inputs (and than this
// script), so a second run does almost nothing. Exits non-zero with a
// message naming the file on any problem.
import { compile } from '@vue/compiler-dom';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const modules = path.join(root, 'node_modules');
const web = path.join(root, 'web');
const vendor = path.join(web, 'vendor');
const scriptTime = fs.statSync(fileURLToPath(import.meta.url)).mtimeMs;
// npm keeps the packages' own file times (often 1985), so a vendor copy is
// judged against the time of the last install, which npm records here.
const installRecord = path.join(modules, '.package-lock.json');

// What the browser loads, and under which name in web/vendor/. "rewrite"
// marks ES modules whose bare imports must be pointed at vendor files.
const vendorFiles = [
  { from: 'vue/dist/vue.runtime.esm-browser.prod.js', to: 'vue.js', rewrite: true },
  { from: 'element-plus/dist/index.full.min.mjs', to: 'element-plus.js', rewrite: true },
  { from: 'element-plus/dist/index.css', to: 'element-plus.css' },
  { from: 'element-plus/dist/locale/zh-cn.min.mjs', to: 'element-plus-zh-cn.js', rewrite: true },
  { from: 'element-plus/dist/locale/en.min.mjs', to: 'element-plus-en.js', rewrite: true },
  { from: '@element-plus/icons-vue/dist/index.min.js', to: 'element-plus-icons.js', rewrite: true },
  { from: 'echarts/dist/echarts.esm.min.mjs', to: 'echarts.js', rewrite: true },
  { from: 'leaflet/dist/leaflet-src.esm.js', to: 'leaflet.js', rewrite: true },
  { from: 'leaflet/dist/leaflet.css', to: 'leaflet.css' },
  { from: 'leaflet/dist/images/marker-icon.png', to: 'images/marker-icon.png' },
  { from: 'leaflet/dist/images/marker-icon-2x.png', to: 'images/marker-icon-2x.png' },
  { from: 'leaflet/dist/images/marker-shadow.png', to: 'images/marker-shadow.png' },
  { from: 'leaflet/dist/images/layers.png', to: 'images/layers.png' },
  { from: 'leaflet/dist/images/layers-2x.png', to: 'images/layers-2x.png' },
];

// Bare specifier -> file in web/vendor/ that provides it.
const bareToVendor = { vue: 'vue.js' };

function fail(message) {
  console.error(`build-web: ${message}`);
  process.exit(1);
}

function isFresh(output, inputs) {
  if (!fs.existsSync(output))
    return false;
  const built = fs.statSync(output).mtimeMs;
  return inputs.every((input) => fs.statSync(input).mtimeMs <= built) && scriptTime <= built;
}

// Rewrites `from "vue"` / `import "vue"` / `import("vue")` to a path relative
// to the importing file, then refuses any bare specifier left over: the
// browser would fail to load it, and only at run time.
function rewriteImports(code, fromDir, label) {
  const specifier = /(\bfrom\s*|\bimport\s*\(?\s*)(["'])((?:@[\w.~-]+\/)?[\w.~-]+(?:\/[\w.~/-]*)?)\2/g;
  return code.replace(specifier, (match, lead, quote, name) => {
    if (name.startsWith('.') || name.startsWith('/'))
      return match;
    const target = bareToVendor[name];
    if (!target)
      fail(`${label}: bare import "${name}" has no vendor file; add it to bareToVendor`);
    let rel = path.relative(fromDir, path.join(vendor, target)).split(path.sep).join('/');
    if (!rel.startsWith('.'))
      rel = './' + rel;
    return `${lead}${quote}${rel}${quote}`;
  });
}

// Source maps are not copied, so their references would only produce 404s.
function dropSourceMapComment(code) {
  return code.replace(/\n?\/\/# sourceMappingURL=\S+\s*$/, '\n');
}

function copyVendorFile({ from, to, rewrite }) {
  const source = path.join(modules, from);
  const target = path.join(vendor, to);
  if (!fs.existsSync(source))
    fail(`${from} is missing from node_modules (run npm ci)`);
  if (isFresh(target, [source, installRecord]))
    return false;
  fs.mkdirSync(path.dirname(target), { recursive: true });
  if (rewrite) {
    const code = fs.readFileSync(source, 'utf8');
    const out = dropSourceMapComment(rewriteImports(code, path.dirname(target), from));
    fs.writeFileSync(target, out);
  } else {
    fs.copyFileSync(source, target);
  }
  return true;
}

function templatesUnder(dir) {
  const found = [];
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory())
      found.push(...templatesUnder(full));
    else if (entry.name.endsWith('.html'))
      found.push(full);
  }
  return found;
}

// Compiles one template; errors name the file and line, the way an editor
// would want them, and stop the build.
function compileTemplate(htmlPath) {
  const output = htmlPath.replace(/\.html$/, '.render.js');
  // A reinstall may bring another compiler version: recompile then too.
  if (isFresh(output, [htmlPath, installRecord]))
    return false;
  const label = path.relative(root, htmlPath);
  const errors = [];
  const source = fs.readFileSync(htmlPath, 'utf8');
  const { code } = compile(source, {
    mode: 'module',
    prefixIdentifiers: true,
    hoistStatic: true,
    comments: false,
    onError: (err) => errors.push(err),
    onWarn: (warn) => console.warn(`build-web: ${label}: ${warn.message}`),
  });
  if (errors.length) {
    const lines = errors.map((e) => `${label}:${e.loc ? e.loc.start.line : '?'}: ${e.message}`);
    fail(`template errors\n${lines.join('\n')}`);
  }
  const header = `// Generated by scripts/build-web.mjs from ${path.basename(htmlPath)}: do not edit.\n`;
  fs.writeFileSync(output, header + rewriteImports(code, path.dirname(output), label));
  return true;
}

// Removes Name.render.js files whose template is gone, so a deleted
// component cannot keep loading stale code.
function removeOrphanRenders(dir) {
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory())
      removeOrphanRenders(full);
    else if (entry.name.endsWith('.render.js') && !fs.existsSync(full.replace(/\.render\.js$/, '.html')))
      fs.unlinkSync(full);
  }
}

const copied = vendorFiles.filter(copyVendorFile).length;
const src = path.join(web, 'src');
removeOrphanRenders(src);
const compiled = templatesUnder(src).filter(compileTemplate).length;
console.log(`build-web: ${copied} vendor file(s) copied, ${compiled} template(s) compiled`);
