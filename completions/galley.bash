# bash completion for galley (installed as share/bash-completion/completions/galley)
_galley() {
    local cur prev words cword
    _init_completion || return
    local commands="render check proof watch fonts"
    local cmd="" w
    for w in "${words[@]:1:cword-1}"; do
        case " $commands " in *" $w "*) cmd=$w; break ;; esac
    done
    if [[ -z $cmd ]]; then
        COMPREPLY=($(compgen -W "$commands --help --help-all --version" -- "$cur"))
        return
    fi
    case $prev in
        -s|--style)
            local data=${GALLEY_DATA_DIR:-$(dirname "$(command -v galley)")/../share/galley}
            local styles=${GALLEY_STYLES:-$data/styles}
            COMPREPLY=($(compgen -W "$(cd "$styles" 2>/dev/null && ls *.yaml 2>/dev/null | sed 's/\.yaml$//')" -- "$cur"))
            _filedir yaml
            return ;;
        --fonts-conf|--report|--dump) _filedir; return ;;
        --font-path|--root) _filedir -d; return ;;
        -o|--output)
            if [[ $cmd == proof ]]; then _filedir -d; else _filedir; fi
            return ;;
        --format) COMPREPLY=($(compgen -W "text json" -- "$cur")); return ;;
        -j|--jobs|--max-file-size|--dpi|--pages|--shard) return ;;
    esac
    local common="--style --fonts-conf --font-path --quiet --fail-on-warnings --root --allow-any-path --max-file-size --help"
    local batch="--jobs --report --shard"
    local opts
    case $cmd in
        render) opts="$common $batch --output --pdfa --pdf-backend --skip-unchanged --dump" ;;
        check) opts="$common $batch --format" ;;
        proof) opts="$common $batch --output --pages --dpi" ;;
        watch) opts="$common --output --pdfa" ;;
        fonts) opts="--style --fonts-conf --font-path --help" ;;
    esac
    if [[ $cur == -* ]]; then
        COMPREPLY=($(compgen -W "$opts" -- "$cur"))
    elif [[ $cmd != fonts ]]; then
        _filedir '@(md|yaml|yml|txt)'
    fi
}
complete -F _galley galley
