/** `decodeURIComponent`, or the text as it is when it is not valid percent-encoding (`%ZZ`). */
export function decodedUri(text: string): string {
  try {
    return decodeURIComponent(text)
  } catch {
    return text
  }
}
