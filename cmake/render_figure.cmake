# Renders one pgfplots figure: SRC (a .tex file) -> DEST/NAME.pdf and DEST/NAME.png.
# The figure reads its tables from DATA and the shared preamble sbfigure.tex from PREAMBLE, or
# starts from FORMAT (that preamble dumped, cmake/sbfigure-format.tex) when it is given.
# Both outputs are written to WORK first and moved into place only when both exist.
file(MAKE_DIRECTORY "${WORK}")
set(fmt "")
if(FORMAT)
  string(REGEX REPLACE "\\.fmt$" "" fmt "${FORMAT}")
  set(fmt "-fmt=${fmt}")
endif()
execute_process(
  COMMAND ${CMAKE_COMMAND} -E env "TEXINPUTS=${DATA}:${PREAMBLE}:"
          ${PDFLATEX} ${fmt} -interaction=nonstopmode -halt-on-error -output-directory=${WORK}
          -jobname=${NAME} ${SRC}
  RESULT_VARIABLE rc OUTPUT_VARIABLE log ERROR_VARIABLE log)
if(NOT rc EQUAL 0)
  string(REGEX MATCHALL "![^\n]*\n[^\n]*" errors "${log}")
  message(FATAL_ERROR "pdflatex failed on ${SRC}: ${errors} (full log: ${WORK}/${NAME}.log)")
endif()
execute_process(
  COMMAND ${PDFTOPPM} -png -r 150 -singlefile ${WORK}/${NAME}.pdf ${WORK}/${NAME}
  RESULT_VARIABLE rc)
if(NOT rc EQUAL 0)
  message(FATAL_ERROR "pdftoppm failed on ${WORK}/${NAME}.pdf")
endif()
file(MAKE_DIRECTORY "${DEST}")
foreach(ext pdf png)
  file(COPY_FILE "${WORK}/${NAME}.${ext}" "${DEST}/${NAME}.${ext}.tmp")
  file(RENAME "${DEST}/${NAME}.${ext}.tmp" "${DEST}/${NAME}.${ext}")
endforeach()
