/** The well-known indexes, small enough to load with 'runts' itself. */

/** Well-known indexes: where twine uploads, and the simple index pip installs from. */
export const PYPI = { uploadUrl: 'https://upload.pypi.org/legacy/', indexUrl: 'https://pypi.org/simple/' } as const
export const TEST_PYPI = { uploadUrl: 'https://test.pypi.org/legacy/', indexUrl: 'https://test.pypi.org/simple/' } as const

/** The simple index for an upload URL: PyPI's and TestPyPI's by name; a pypiserver's (`http://host/`) at `/simple/`. */
export function indexForUpload(uploadUrl: string): string {
  const url = uploadUrl.replace(/\/?$/, '/')
  if (url === PYPI.uploadUrl) return PYPI.indexUrl
  if (url === TEST_PYPI.uploadUrl) return TEST_PYPI.indexUrl
  return `${url.replace(/legacy\/$/, '')}simple/`
}
