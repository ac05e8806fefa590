// The dependency rules of src/, checked by `npx run lint` (dependency-cruiser). Type-only imports count:
// a circle of types is still a circle to read.
//
// src/ is layered, bottom first, as the README's Development section lists it: each folder (or file at
// the top of src/) imports only from the layers below it and from itself, never from one above.
const LAYERS = [
  ['util'],
  ['errors.ts', 'version.ts', 'io.ts'],
  // The task vocabulary every layer shares: task(), CI events and permissions, durations.
  ['api'],
  ['env'],
  ['load'],
  ['plan'],
  ['run'],
  ['report'],
  ['release'],
  ['cache'],
  ['watch'],
  ['ci'],
  ['views'],
  ['init'],
  ['session.ts'],
  ['project.ts'],
  ['commands'],
  ['cli'],
  ['main.ts'],
  ['bundle.ts', 'cli.ts', 'index.ts'],
]

/** A path pattern for the folders and files of some layers. */
const paths = (layers) =>
  `^src/(${layers
    .flat()
    .map((name) => (name.endsWith('.ts') ? name.replace('.', '\\.') : `${name}/`))
    .join('|')})`

const layering = LAYERS.slice(0, -1).map((layer, i) => ({
  name: `layer-${layer.join('+')}-looks-down`,
  comment: `${layer.join(', ')} may not import from a layer above it (${LAYERS.slice(i + 1).flat().join(', ')})`,
  severity: 'error',
  from: { path: paths([layer]) },
  to: { path: paths(LAYERS.slice(i + 1)) },
}))

/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    ...layering,
    {
      name: 'every-file-in-a-layer',
      comment: 'a file of src/ that no layer names: give it a place in LAYERS',
      severity: 'error',
      from: { path: '^src/', pathNot: paths(LAYERS) },
      to: {},
    },
    {
      name: 'every-import-in-a-layer',
      comment: 'an import of a file of src/ that no layer names: give it a place in LAYERS',
      severity: 'error',
      from: {},
      to: { path: '^src/', pathNot: paths(LAYERS) },
    },
    {
      name: 'no-cycle-in-cache',
      comment:
        'src/cache/ is layered (inputs, fingerprint, store, shared, then the verdict, the gate and --why on top): ' +
        'no module of it may reach itself again through its imports',
      severity: 'error',
      from: { path: '^src/cache/' },
      to: { path: '^src/cache/', circular: true },
    },
  ],
  options: {
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    doNotFollow: { path: 'node_modules' },
    exclude: { path: '^(dist|node_modules)/' },
  },
}
