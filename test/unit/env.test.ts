import { describe, expect, it } from 'vitest'
import { envFiles, loadEnv } from '../../src/env/load.js'
import { findSecrets, isSecretFile, isSecretName } from '../../src/env/secrets.js'

describe('loadEnv', () => {
  const files = (contents: Record<string, string>) => (file: string) => contents[file]
  const list = envFiles('/p', '/p/sub', ['ci.env', '../more.env'])

  it('layers .env, .env.local and each --env-file, later winning, the shell above all', () => {
    const read = files({
      '/p/.env': 'A=env\nB=env\nC=env\nD=env\nSHELL_WINS=file',
      '/p/.env.local': 'B=local\nC=local\nD=local',
      '/p/sub/ci.env': 'C=ci\nD=ci',
      '/p/more.env': 'D=more',
    })
    const { values, sources } = loadEnv({ SHELL_WINS: 'shell' }, list, read)
    expect(values).toMatchObject({ A: 'env', B: 'local', C: 'ci', D: 'more', SHELL_WINS: 'shell' })
    expect(sources.get('A')).toBe('.env')
    expect(sources.get('B')).toBe('.env.local')
    expect(sources.get('C')).toBe('--env-file ci.env')
    expect(sources.get('SHELL_WINS')).toBe('shell')
  })

  it('keeps a variable set to empty in the shell', () => {
    expect(loadEnv({ A: '' }, list.slice(0, 1), files({ '/p/.env': 'A=file' })).values.A).toBe('')
  })

  it('skips absent optional files and rejects an absent --env-file', () => {
    expect(() => loadEnv({}, list, files({}))).toThrow(/env file not found: \/p\/sub\/ci.env/)
    expect(loadEnv({}, list.slice(0, 2), files({})).values).toEqual({})
  })

  it('never runs command substitution', () => {
    expect(loadEnv({}, list.slice(0, 1), files({ '/p/.env': 'X=$(touch /tmp/pwned)\nY=`id`' })).values).toEqual({
      X: '$(touch /tmp/pwned)',
      Y: 'id', // backticks quote, as in dotenv; nothing is executed
    })
  })
})

describe('secrets', () => {
  it('recognises secret names in any case', () => {
    for (const name of ['NPM_TOKEN', 'api_key', 'Secret', 'DB_PASSWORD', 'PASSWD', 'BASIC_AUTH', 'GOOGLE_CREDENTIALS']) {
      expect(isSecretName(name)).toBe(true)
    }
    for (const name of ['HOME', 'PATH', 'TEST_REGISTRY']) expect(isSecretName(name)).toBe(false)
  })

  it('recognises env files by their name, not their committed templates', () => {
    for (const file of ['.env', '.env.local', '.env.production.local', 'deploy/.env', 'config/prod.env', '.envrc'])
      expect(isSecretFile(file)).toBe(true)
    for (const file of ['.env.example', 'app/.env.sample', '.env.template', 'src/env.ts', 'docs/.env/readme.md', 'environment.yml']) {
      expect(isSecretFile(file)).toBe(false)
    }
  })

  it('masks values of 4 characters or more and lists shorter ones for a warning', () => {
    const s = findSecrets({ A_TOKEN: 'abcd', B_TOKEN: 'abc', C_TOKEN: '', HOME: '/root' })
    expect(s.values).toContain('abcd')
    expect(s.values).not.toContain('abc')
    expect(s.tooShort).toEqual(['B_TOKEN'])
  })

  it('masks each line of a multi-line secret too', () => {
    expect(findSecrets({ KEY: 'line-one\nline-two' }).values).toEqual(
      expect.arrayContaining(['line-one', 'line-one\nline-two', 'line-two']),
    )
  })
})
