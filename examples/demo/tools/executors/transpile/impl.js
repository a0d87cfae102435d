// Plain CommonJS so the executor runs without a build step.
const fs = require('node:fs');
const path = require('node:path');

// Loaded lazily and kept for the life of the process: a warm worker pays for it once.
let ts;
function loadTypeScript() {
  if (!ts) ts = require('typescript');
  return ts;
}

function listTypeScriptFiles(dir) {
  if (!fs.existsSync(dir)) return [];
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return listTypeScriptFiles(full);
    return entry.name.endsWith('.ts') && !entry.name.endsWith('.d.ts') ? [full] : [];
  });
}

module.exports = async function transpile(_options, context) {
  const started = Date.now();
  const warm = ts !== undefined;
  const typescript = loadTypeScript();
  const projectRoot = context.projectsConfigurations.projects[context.projectName].root;
  const srcDir = path.join(context.root, projectRoot, 'src');
  const outDir = path.join(context.root, 'dist', projectRoot);

  const files = listTypeScriptFiles(srcDir);
  for (const file of files) {
    const source = fs.readFileSync(file, 'utf8');
    const { outputText } = typescript.transpileModule(source, {
      fileName: file,
      compilerOptions: {
        target: typescript.ScriptTarget.ES2022,
        module: typescript.ModuleKind.CommonJS,
        esModuleInterop: true,
      },
    });
    const relative = path.relative(srcDir, file).replace(/\.ts$/, '.js');
    const target = path.join(outDir, relative);
    fs.mkdirSync(path.dirname(target), { recursive: true });
    fs.writeFileSync(target, outputText);
    console.log(
      `  ${path.join(projectRoot, 'src', path.relative(srcDir, file))} -> ${path.relative(context.root, target)}`,
    );
  }

  console.log(
    `${context.projectName}: transpiled ${files.length} files with typescript ${typescript.version} ` +
      `in ${Date.now() - started} ms (pid ${process.pid}, ${warm ? 'warm' : 'cold'} worker)`,
  );
  return { success: true };
};
