# Renders one pgfplots figure: SRC (a .tex file) -> DEST/NAME.pdf, or with PNG_DPI set, that PDF
# -> DEST/NAME.png at PNG_DPI dots per inch (a step of its own, so the report, which needs only the
# PDFs, does not wait for the PNGs): pdftoppm's raster piped into SB_PNG (tools/png.cpp), which
# encodes it and writes the PNG whole. The figure reads its tables from DATA and the shared preamble
# sbfigure.tex from PREAMBLE, or starts from FORMAT (that preamble dumped,
# cmake/sbfigure-format.tex) when it is given. The PDF is written to WORK first and moved into
# place whole.
if(PNG_DPI)
  execute_process(
    COMMAND ${PDFTOPPM} -r ${PNG_DPI} -singlefile ${DEST}/${NAME}.pdf
    COMMAND ${SB_PNG} --dpi ${PNG_DPI} --out ${DEST}/${NAME}.png
    RESULTS_VARIABLE rcs ERROR_VARIABLE errors)
  if(NOT rcs STREQUAL "0;0")
    message(FATAL_ERROR "rendering ${DEST}/${NAME}.png failed (exit codes ${rcs}): ${errors}")
  endif()
  return()
endif()
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
file(MAKE_DIRECTORY "${DEST}")
file(COPY_FILE "${WORK}/${NAME}.pdf" "${DEST}/${NAME}.pdf.tmp")
file(RENAME "${DEST}/${NAME}.pdf.tmp" "${DEST}/${NAME}.pdf")
