# The build graph of the reproduction: chapter program -> tables, JSON, macros -> figures -> report.
# Each step declares its outputs, so Ninja re-runs exactly what changed (STYLE.md).

set(SB_RESULTS_DIR "${CMAKE_BINARY_DIR}/results")
set(SB_FIGURES_DIR "${CMAKE_SOURCE_DIR}/figures")

# sb_add_chapter(<id> TABLES <file>... FIGURES <name>... [AFTER <chapter id>...] [ARGS <arg>...])
#   Builds chapters/<id>/main.cpp into ch<id> (dashes -> underscores), runs it with
#   --out ${CMAKE_BINARY_DIR} plus the cache variable SB_ARGS_<id>, and renders each
#   chapters/<id>/figure-<name>.tex into figures/<id>-<name>.pdf and .png. AFTER names chapters
#   whose results this one reads (their JSON) or whose cache it reuses: it runs after them. ARGS are
#   passed to every run (e.g. the absolute path of an input file).
function(sb_add_chapter id)
  cmake_parse_arguments(PARSE_ARGV 1 arg "" "" "TABLES;FIGURES;AFTER;ARGS")
  string(REPLACE "-" "_" program "ch${id}")
  add_executable(${program} main.cpp)
  # A chapter's main.cpp orchestrates: its heavy loops are in lib/ (built -O3); SB_GLUE_OPT (-O0)
  # here compiles it in about a third of the time of -O3 with the same results (CMakeLists.txt).
  target_compile_options(${program} PRIVATE ${SB_GLUE_OPT})
  target_precompile_headers(${program} REUSE_FROM sb_pch)
  target_link_libraries(${program} PRIVATE sbias)

  set(SB_ARGS_${id} "" CACHE STRING "extra command-line arguments for chapter ${id} (see ${program} --help)")
  separate_arguments(extra UNIX_COMMAND "${SB_ARGS_${id}}")

  set(data_dir "${CMAKE_BINARY_DIR}/chapters/${id}")
  set(json "${SB_RESULTS_DIR}/${id}.json")
  set(macros "${data_dir}/macros.tex")
  set(upstream "")
  foreach(a IN LISTS arg_AFTER)
    list(APPEND upstream "${SB_RESULTS_DIR}/${a}.json")
  endforeach()
  set(tables "")
  foreach(t IN LISTS arg_TABLES)
    list(APPEND tables "${data_dir}/${t}")
  endforeach()
  add_custom_command(
    OUTPUT ${json} ${macros} ${tables}
    COMMAND ${program} --out ${CMAKE_BINARY_DIR} ${arg_ARGS} ${extra}
    DEPENDS ${program} ${upstream}
    COMMENT "Chapter ${id}: computing"
    USES_TERMINAL VERBATIM)

  set(figure_outputs "")
  foreach(f IN LISTS arg_FIGURES)
    set(name "${id}-${f}")
    set(src "${CMAKE_CURRENT_SOURCE_DIR}/figure-${f}.tex")
    add_custom_command(
      OUTPUT "${SB_FIGURES_DIR}/${name}.pdf" "${SB_FIGURES_DIR}/${name}.png"
      COMMAND ${CMAKE_COMMAND} -DSRC=${src} -DNAME=${name} -DDATA=${data_dir}
              -DPREAMBLE=${CMAKE_SOURCE_DIR}/paper -DWORK=${CMAKE_BINARY_DIR}/figures/${name}
              -DDEST=${SB_FIGURES_DIR} -DPDFLATEX=${PDFLATEX} -DPDFTOPPM=${PDFTOPPM}
              -P ${CMAKE_SOURCE_DIR}/cmake/render_figure.cmake
      DEPENDS ${src} ${tables} ${macros} ${CMAKE_SOURCE_DIR}/paper/sbfigure.tex
              ${CMAKE_SOURCE_DIR}/cmake/render_figure.cmake
      COMMENT "Chapter ${id}: rendering figures/${name}.pdf"
      VERBATIM)
    list(APPEND figure_outputs "${SB_FIGURES_DIR}/${name}.pdf" "${SB_FIGURES_DIR}/${name}.png")
  endforeach()

  add_custom_target(${id} ALL DEPENDS ${json} ${figure_outputs})
  set_property(GLOBAL APPEND PROPERTY SB_CHAPTERS ${id})
  # For the tests and benchmarks that run the programs: CH<NN>_EXE and the target names.
  string(SUBSTRING "${id}" 0 2 nn)
  set_property(GLOBAL APPEND PROPERTY SB_CHAPTER_PROGRAMS ${program})
  set_property(GLOBAL APPEND PROPERTY SB_CHAPTER_EXE_DEFINITIONS
               "CH${nn}_EXE=\"$<TARGET_FILE:${program}>\"")
  set_property(GLOBAL APPEND PROPERTY SB_REPORT_INPUTS
               ${macros} ${figure_outputs} "${CMAKE_CURRENT_SOURCE_DIR}/chapter.tex")
endfunction()

# sb_add_report(): the manifest and paper/report.pdf, with one section per declared chapter.
function(sb_add_report)
  get_property(chapters GLOBAL PROPERTY SB_CHAPTERS)
  get_property(inputs GLOBAL PROPERTY SB_REPORT_INPUTS)

  # The manifest runs on every build: it is cheap and records the current git revision.
  add_custom_target(manifest ALL
    COMMAND sb_manifest --out ${CMAKE_BINARY_DIR} --source ${CMAKE_SOURCE_DIR} ${chapters}
    COMMENT "Writing ${SB_RESULTS_DIR}/manifest.json" VERBATIM)
  add_dependencies(manifest ${chapters})

  set(list_tex "")
  foreach(id IN LISTS chapters)
    string(APPEND list_tex "\\input{chapters/${id}/chapter.tex}\n")
  endforeach()
  set(chapters_tex "${CMAKE_BINARY_DIR}/paper/chapters.tex")
  file(CONFIGURE OUTPUT ${chapters_tex} CONTENT "${list_tex}")

  # The report's generated parts: every chapter's macros, the claims ledger and corrections (from
  # the chapters' "verdicts"), the methods appendix. Rebuilt when a chapter's results change.
  set(results "")
  foreach(id IN LISTS chapters)
    list(APPEND results "${SB_RESULTS_DIR}/${id}.json")
  endforeach()
  set(parts_dir "${CMAKE_BINARY_DIR}/paper")
  set(parts ${parts_dir}/macros-all.tex ${parts_dir}/ledger.tex ${parts_dir}/corrections.tex
            ${parts_dir}/methods.tex)
  # The scale study make bench measured (committed; the appendix draws it).
  set(scale "")
  if(EXISTS "${CMAKE_SOURCE_DIR}/bench/scale.tsv")
    set(scale "${CMAKE_SOURCE_DIR}/bench/scale.tsv")
  endif()
  add_custom_command(
    OUTPUT ${parts}
    COMMAND sb_manifest --out ${CMAKE_BINARY_DIR} --source ${CMAKE_SOURCE_DIR}
            --report-parts ${parts_dir} ${chapters}
    DEPENDS sb_manifest ${results} ${scale}
    COMMENT "Writing the report's ledger and methods appendix"
    VERBATIM)

  set(report "${CMAKE_SOURCE_DIR}/paper/report.pdf")
  add_custom_command(
    OUTPUT ${report}
    COMMAND ${CMAKE_COMMAND} -E env
            "TEXINPUTS=${CMAKE_BINARY_DIR}/paper:${CMAKE_BINARY_DIR}:${CMAKE_SOURCE_DIR}:${CMAKE_SOURCE_DIR}/paper:"
            ${LATEXMK} -pdf -Werror -interaction=nonstopmode -halt-on-error -silent
            -outdir=${CMAKE_BINARY_DIR}/paper ${CMAKE_SOURCE_DIR}/paper/report.tex
    COMMAND ${CMAKE_COMMAND} -E copy ${CMAKE_BINARY_DIR}/paper/report.pdf ${report}.tmp
    COMMAND ${CMAKE_COMMAND} -E rename ${report}.tmp ${report}
    DEPENDS ${CMAKE_SOURCE_DIR}/paper/report.tex ${chapters_tex} ${inputs} ${parts}
    COMMENT "Building paper/report.pdf"
    VERBATIM)
  add_custom_target(report ALL DEPENDS ${report})
endfunction()
