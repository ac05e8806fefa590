import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { base64Forms, secretForms } from '../../src/env/forms.js'
import { lintEnvText } from '../../src/env/lint.js'
import { Masker } from '../../src/env/mask.js'
import { Prefilter } from '../../src/env/prefilter.js'
import { findSecrets } from '../../src/env/secrets.js'

describe('secretForms', () => {
  it('finds a secret inside any base64 blob, whatever its alignment (property)', () => {
    fc.assert(
      fc.property(
        fc.string({ minLength: 4, maxLength: 30 }),
        fc.uint8Array({ maxLength: 10 }),
        fc.uint8Array({ maxLength: 10 }),
        (secret, before, after) => {
          const blob = Buffer.concat([before, Buffer.from(secret), after]).toString('base64')
          expect(new Masker(secretForms(secret)).mask(blob)).toContain('***')
        },
      ),
      { numRuns: 300 },
    )
  })

  it('has three alignments', () => {
    expect(base64Forms('abcdef')).toHaveLength(3)
  })

  it('covers URL-encoded and JSON-escaped forms', () => {
    const secret = 'p@ss w/rd"\\x'
    const m = new Masker(secretForms(secret))
    expect(m.mask(`url=${encodeURIComponent(secret)}`)).toBe('url=***')
    expect(m.mask(`form=${encodeURIComponent(secret).replace(/%20/g, '+')}`)).toBe('form=***')
    expect(m.mask(JSON.stringify({ s: secret }))).toBe('{"s":"***"}')
  })

  it('covers shell-quoted and other URL-encoded forms', () => {
    const m = new Masker(secretForms("it's a\\secret/x"))
    expect(m.mask("$ test $'it\\'s a\\\\secret/x' = 1")).toBe("$ test $'***' = 1")
    expect(m.mask(`q=${encodeURIComponent("it's a\\secret/x").replace(/%2F/g, '/')}`)).toBe('q=***')
    expect(m.mask(`u=${encodeURI("it's a\\secret/x")}`)).toBe('u=***')
  })

  it('masks each line of a multi-line secret', () => {
    const m = new Masker(secretForms('first-line\nsecond-line'))
    expect(m.mask('a first-line b\nc second-line d')).toBe('a *** b\nc *** d')
  })
})

describe('lintEnvText', () => {
  it('flags what dotenv drops or cuts short, by line', () => {
    const text = 'A=1\nB=x#y\nC=x #comment\nD\nE F=3\n# comment\n\nG="multi\nline"\nH=#nothing\nexport I=2\nJ: colon\n'
    expect(lintEnvText(text)).toEqual([
      { line: 2, message: "the value of B is cut at '#' (dotenv reads 'x'); quote the value to keep it" },
      { line: 4, message: "ignored by dotenv: it has no '='" },
      { line: 5, message: 'ignored by dotenv: it is not NAME=value' },
      { line: 10, message: "H is empty: an unquoted value cannot start with '#'; quote the value to keep it" },
    ])
  })

  it('is quiet about a clean file', () => {
    expect(lintEnvText('# tokens\nA=1\nB="x#y"\nC=\'q\' # note\r\nD=\n')).toEqual([])
  })
})

describe('Prefilter', () => {
  it('never misses a pattern that is there (property)', () => {
    fc.assert(
      fc.property(
        fc.array(fc.string({ minLength: 4, maxLength: 16 }), { minLength: 1, maxLength: 6 }),
        fc.string(),
        fc.string(),
        fc.nat(),
        (patterns, before, after, pick) => {
          const pattern = patterns[pick % patterns.length]!
          expect(new Prefilter(patterns).mayContain(before + pattern + after)).toBe(true)
        },
      ),
      { numRuns: 500 },
    )
  })

  it('says no for text without the patterns', () => {
    expect(new Prefilter(['secret-one', 'other-secret']).mayContain('lorem ipsum dolor sit amet '.repeat(100))).toBe(false)
  })
})

describe('findSecrets: passwords inside URLs', () => {
  const secretsOf = (vars: Record<string, string>) => findSecrets(vars).values

  it('takes the password of any variable, as written and decoded, up to the last @ of the user part', () => {
    expect(secretsOf({ DATABASE_URL: 'postgres://app:s3cr%40t-pass@db:5432/app' })).toEqual(
      expect.arrayContaining(['s3cr%40t-pass', 's3cr@t-pass']),
    )
    expect(secretsOf({ A_URL: 'postgres://u:Secret@2024@db/app' })).toContain('Secret@2024')
    expect(secretsOf({ MIRRORS: 'http://a:first-password@one/ https://b:second-password@[::1]:8443/x' })).toEqual(
      expect.arrayContaining(['first-password', 'second-password']),
    )
  })

  it('takes it alone from a variable whose name says it is secret too, where the whole value was masked but not the password', () => {
    const { values } = findSecrets({ GIT_CREDENTIALS: 'https://bot:ghp_SuperSecretToken123@github.com' })
    expect(values).toContain('https://bot:ghp_SuperSecretToken123@github.com')
    expect(values).toContain('ghp_SuperSecretToken123')
    expect(findSecrets({ PROXY_AUTH: 'http://u:abcd@proxy' }).values).toContain('abcd')
  })

  it('leaves default credentials and short placeholders of other variables alone: they would blank out common words', () => {
    expect(secretsOf({ DATABASE_URL: 'postgres://postgres:postgres@localhost:5432/app' })).toEqual([])
    expect(secretsOf({ BROKER: 'amqp://guest:guest@rabbit:5672' })).toEqual([])
    expect(secretsOf({ DEV_PROXY: 'http://user:test@localhost:8080' })).toEqual([])
    // No password, or a port that looks like one: nothing.
    expect(secretsOf({ REMOTE: 'https://github.com:443/o/r.git', SSH: 'ssh://git@github.com/o/r' })).toEqual([])
  })

  it('reads a long value with an @ and no URL in linear time', () => {
    const started = performance.now()
    expect(secretsOf({ BLOB: `${'a'.repeat(500_000)}@x`, MANY: 'x://'.repeat(100_000) })).toEqual([])
    expect(performance.now() - started).toBeLessThan(1000)
  })
})
