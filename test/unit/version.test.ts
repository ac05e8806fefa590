import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { VERSION } from '../../src/version.js'
import { repo } from '../helpers/project.js'

describe('VERSION', () => {
  it('is the version in package.json', () => {
    expect(VERSION).toBe(JSON.parse(readFileSync(`${repo}/package.json`, 'utf8')).version)
  })
})
