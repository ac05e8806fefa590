import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { describe, expect, it } from 'vitest'
import { init } from '../../src/init/init.js'
import { repo } from '../helpers/project.js'

const templates = path.join(repo, 'tasks')
const folder = (files: Record<string, string>) => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'runts-init-'))
  for (const [name, text] of Object.entries(files)) writeFileSync(path.join(dir, name), text)
  return dir
}

describe('run --init', () => {
  it('picks the template from pyproject.toml or package.json', () => {
    expect(init(folder({ 'pyproject.toml': '' }), undefined, templates).template).toBe('python')
    expect(init(folder({ 'package.json': '{}' }), undefined, templates).template).toBe('npm')
  })

  it('writes the template, a .env.example, and adds .env to an existing .gitignore once', () => {
    const dir = folder({ 'package.json': '{}', '.gitignore': 'node_modules' })
    expect(init(dir, undefined, templates).written).toEqual(['tasks.config.ts', '.env.example', '.gitignore'])
    expect(readFileSync(path.join(dir, 'tasks.config.ts'), 'utf8')).toBe(readFileSync(path.join(templates, 'npm-package.ts'), 'utf8'))
    expect(readFileSync(path.join(dir, '.env.example'), 'utf8')).toContain('TEST_NPM_TOKEN=')
    expect(readFileSync(path.join(dir, '.gitignore'), 'utf8')).toBe('node_modules\n.env\n.env.local\n')
  })

  it('never overwrites a tasks file', () => {
    const dir = folder({ 'package.json': '{}', 'tasks.config.mjs': 'export {}' })
    expect(() => init(dir, undefined, templates)).toThrow(/tasks.config.mjs already exists/)
  })

  it('asks for --template when it cannot tell, and rejects an unknown one', () => {
    expect(() => init(folder({}), undefined, templates)).toThrow(/cannot tell/)
    expect(() => init(folder({ 'package.json': '{}', 'pyproject.toml': '' }), undefined, templates)).toThrow(/has both/)
    expect(() => init(folder({}), 'rust', templates)).toThrow(/no template named 'rust'/)
    expect(init(folder({}), 'python', templates).template).toBe('python')
  })
})
