// The dependency rules of src/, checked by `npx run lint` (dependency-cruiser). Type-only imports count:
// a circle of types is still a circle to read.
/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
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
