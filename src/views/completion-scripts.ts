/**
 * The completion scripts `run --completions SHELL` prints. Each one only gathers the words before the
 * cursor, asks `run --complete -- WORDS…` (completions.ts decides), and hands the answer to the shell:
 * candidates as they are, or the shell's own file-name completion when the answer is `files`.
 */
export const SHELLS = ['bash', 'zsh', 'fish'] as const
export type Shell = (typeof SHELLS)[number]

// Bash cuts words at every COMP_WORDBREAKS character, ':' and '=' included, so `publish:t` reaches a
// completion function as three words. The words are joined back wherever COMP_LINE has no space
// between them; and since readline replaces only the text after the last break character, each
// candidate loses the part of the word before it (what bash-completion's __ltrim_colon_completions
// does, without needing bash-completion).
const BASH = `# bash completion for run (runts). Load it with: eval "$(run --completions bash)"
_runts_complete() {
  local line=\${COMP_LINE:0:COMP_POINT} word gap i
  local -a words=()
  for (( i = 0; i <= COMP_CWORD; i++ )); do
    word=\${COMP_WORDS[i]}
    if [[ -n $word ]]; then gap=\${line%%"$word"*}; else gap=$line; fi
    line=\${line:\${#gap}+\${#word}}
    (( i == 0 )) && continue
    if (( \${#words[@]} > 0 )) && [[ -z $gap ]]; then
      words[\${#words[@]}-1]+=$word
    else
      words+=("$word")
    fi
  done
  (( \${#words[@]} == 0 )) && words=("")
  local -a out=()
  mapfile -t out < <(run --complete -- "\${words[@]}" 2>/dev/null)
  COMPREPLY=()
  if [[ \${out[0]} == files ]]; then
    compopt -o default 2>/dev/null
    return 0
  fi
  local cur=\${words[\${#words[@]}-1]} breaks='' prefix='' value
  [[ $COMP_WORDBREAKS == *:* ]] && breaks+=':'
  [[ $COMP_WORDBREAKS == *=* ]] && breaks+='='
  [[ -n $breaks ]] && prefix=\${cur%"\${cur##*[$breaks]}"}
  for value in "\${out[@]:1}"; do
    value=\${value%%$'\\t'*}
    value=\${value#"$prefix"}
    [[ $value == *[^[:alnum:]_.:=@+,/-]* ]] && printf -v value '%q' "$value"
    COMPREPLY+=("$value")
  done
}
complete -F _runts_complete run
`

// zsh passes the words as typed: (Q) removes their quoting. In _describe's "value:description" form a
// colon in the value must be written \\: (the bug that cuts publish:test to publish).
const ZSH = `#compdef run
# zsh completion for run (runts). Load it with: eval "$(run --completions zsh)" (after compinit)
_runts() {
  local -a out candidates
  local line value description
  out=("\${(@f)$(run --complete -- "\${(@Q)words[2,CURRENT-1]}" "\${(Q)PREFIX}" 2>/dev/null)}")
  if [[ \${out[1]} == files ]]; then
    [[ $PREFIX == -*=* ]] && compset -P '*='
    _files
    return
  fi
  for line in "\${(@)out[2,-1]}"; do
    value=\${line%%$'\\t'*}
    description=''
    [[ $line == *$'\\t'* ]] && description=\${line#*$'\\t'}
    candidates+=("\${value//:/\\\\:}\${description:+:$description}")
  done
  (( \${#candidates} )) && _describe -t runts 'run' candidates
}
if (( ! $+functions[compdef] )); then autoload -Uz compinit && compinit; fi
compdef _runts run
`

// fish shows "value<TAB>description" as it is, and does not cut words at ':'.
const FISH = `# fish completion for run (runts). Load it with: run --completions fish | source
function __runts_complete
    set -l words (commandline -opc)
    set -e words[1]
    set -l current (commandline -ct)
    set -l out (run --complete -- $words $current 2>/dev/null)
    if test "$out[1]" = files
        if string match -qr -- '^-[^=]*=' $current
            set -l flag (string replace -r -- '=.*' '=' $current)
            __fish_complete_path (string replace -r -- '^[^=]*=' '' $current) | string replace -r -- '^' $flag
        else
            __fish_complete_path $current
        end
        return
    end
    printf '%s\\n' $out[2..-1]
end
complete -c run -f -a '(__runts_complete)'
`

/** The script a user evals (bash, zsh) or sources (fish) to complete `run`. */
export function completionScript(shell: Shell): string {
  return { bash: BASH, zsh: ZSH, fish: FISH }[shell]
}
