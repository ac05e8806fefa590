import { describe, expect, it } from 'vitest'
import { remoteConfig, signingTeam } from '../../src/cache/remote-config.js'
import { signArtifact, verifyArtifact } from '../../src/cache/shared/signature.js'

describe('artifact signatures', () => {
  // Computed with openssl, independently of the code under test:
  // printf 'd5b7e4688ftH7sL1Rn9K\x05\x48\xdb\x27\x9c' | openssl dgst -sha256 -hmac x3vq8mFz0J -binary | base64
  const body = Uint8Array.from([5, 72, 219, 39, 156])
  const tag = 'ki5kbVnrrPqbWiWxMWbW3OE6Q6SXmbqEpfGvEFQWbZw='

  it('signs as Turborepo does: HMAC-SHA256 over hash, team id and body, in base64', () => {
    expect(signArtifact('x3vq8mFz0J', 'd5b7e4688f', 'tH7sL1Rn9K', body)).toBe(tag)
  })

  it('verifies only the exact artifact, team and key', () => {
    expect(verifyArtifact('x3vq8mFz0J', 'd5b7e4688f', 'tH7sL1Rn9K', body, tag)).toBe(true)
    expect(verifyArtifact('other-key', 'd5b7e4688f', 'tH7sL1Rn9K', body, tag)).toBe(false)
    expect(verifyArtifact('x3vq8mFz0J', 'd5b7e4688e', 'tH7sL1Rn9K', body, tag)).toBe(false)
    expect(verifyArtifact('x3vq8mFz0J', 'd5b7e4688f', 'team_other', body, tag)).toBe(false)
    expect(verifyArtifact('x3vq8mFz0J', 'd5b7e4688f', 'tH7sL1Rn9K', Uint8Array.from([5, 72, 219, 39, 157]), tag)).toBe(false)
    expect(verifyArtifact('x3vq8mFz0J', 'd5b7e4688f', 'tH7sL1Rn9K', body, undefined)).toBe(false)
    expect(verifyArtifact('x3vq8mFz0J', 'd5b7e4688f', 'tH7sL1Rn9K', body, 'YmFkIHRhZw==')).toBe(false)
  })
})

describe('remoteConfig', () => {
  it('is off without a URL, and says what is wrong with a bad one', () => {
    expect(remoteConfig({})).toBeUndefined()
    expect(remoteConfig({ RUNTS_REMOTE_CACHE_URL: 'not a url' })).toMatchObject({ problem: expect.stringContaining('not a URL') })
    expect(remoteConfig({ RUNTS_REMOTE_CACHE_URL: 'ftp://host' })).toMatchObject({ problem: expect.stringContaining('http') })
    const url = 'http://127.0.0.1:3000'
    expect(remoteConfig({ RUNTS_REMOTE_CACHE_URL: url })).toMatchObject({ timeoutMs: 5000 })
    expect(remoteConfig({ RUNTS_REMOTE_CACHE_URL: url, RUNTS_REMOTE_CACHE_TIMEOUT: '0.5' })).toMatchObject({ timeoutMs: 500 })
    for (const bad of ['0', '-1', 'soon', '601'])
      expect(remoteConfig({ RUNTS_REMOTE_CACHE_URL: url, RUNTS_REMOTE_CACHE_TIMEOUT: bad })).toMatchObject({
        problem: expect.stringContaining('RUNTS_REMOTE_CACHE_TIMEOUT must be a number of seconds'),
      })
  })

  it('sends a team id as teamId and signs with it, a slug as slug and signs with no team', () => {
    const byId = remoteConfig({ RUNTS_REMOTE_CACHE_URL: 'https://u:p@cache.example/api/?x=1', RUNTS_REMOTE_CACHE_TEAM: 'team_abc' })
    if (!byId || 'problem' in byId) throw new Error('expected a config')
    expect(byId.team).toEqual({ param: 'teamId', value: 'team_abc' })
    expect(signingTeam(byId)).toBe('team_abc')
    expect(byId.shown).toBe('https://cache.example/api/')
    const bySlug = remoteConfig({ RUNTS_REMOTE_CACHE_URL: 'http://127.0.0.1:3000', RUNTS_REMOTE_CACHE_TEAM: 'acme' })
    if (!bySlug || 'problem' in bySlug) throw new Error('expected a config')
    expect(bySlug.team).toEqual({ param: 'slug', value: 'acme' })
    expect(signingTeam(bySlug)).toBe('')
  })
})
