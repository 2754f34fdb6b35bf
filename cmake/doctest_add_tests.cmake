# The test list for CTest, as doctest's own doctestAddTests.cmake writes it (the same add_test and
# set_tests_properties lines, byte for byte; tests/CMakeLists.txt points doctest_discover_tests
# here), from one run of the test program instead of one per test. With labels, doctest's script
# runs the program once with --list-test-cases and then once more per test case to ask for its
# suite: 173 runs, 3.0 CPU-s of every build that relinks the tests (measured). doctest's XML
# reporter lists every test case with its suite in one run. Takes the same -D arguments.
set(prefix "${TEST_PREFIX}")
set(suffix "${TEST_SUFFIX}")
set(spec ${TEST_SPEC})
set(extra_args ${TEST_EXTRA_ARGS})
set(properties ${TEST_PROPERTIES})
set(script)
set(tests)

function(add_command NAME)
  set(_args "")
  foreach(_arg ${ARGN})
    if(_arg MATCHES "[^-./:a-zA-Z0-9_]")
      set(_args "${_args} [==[${_arg}]==]") # form a bracket_argument
    else()
      set(_args "${_args} ${_arg}")
    endif()
  endforeach()
  set(script "${script}${NAME}(${_args})\n" PARENT_SCOPE)
endfunction()

# doctest's XML escapes in an attribute value.
function(xml_unescape VAR TEXT)
  string(REPLACE "&quot;" "\"" TEXT "${TEXT}")
  string(REPLACE "&apos;" "'" TEXT "${TEXT}")
  string(REPLACE "&lt;" "<" TEXT "${TEXT}")
  string(REPLACE "&gt;" ">" TEXT "${TEXT}")
  string(REPLACE "&amp;" "&" TEXT "${TEXT}")
  set(${VAR} "${TEXT}" PARENT_SCOPE)
endfunction()

if(NOT EXISTS "${TEST_EXECUTABLE}")
  message(FATAL_ERROR "Specified test executable '${TEST_EXECUTABLE}' does not exist")
endif()
if("${spec}" MATCHES .)
  set(spec "--test-case=${spec}")
endif()
execute_process(
  COMMAND ${TEST_EXECUTOR} "${TEST_EXECUTABLE}" ${spec} --list-test-cases --reporters=xml
  OUTPUT_VARIABLE output
  RESULT_VARIABLE result
  WORKING_DIRECTORY "${TEST_WORKING_DIR}")
if(NOT ${result} EQUAL 0)
  message(FATAL_ERROR "Error running test executable '${TEST_EXECUTABLE}':\n"
                      "  Result: ${result}\n  Output: ${output}\n")
endif()

# A semicolon would split a line of CMake's list: refuse it rather than mangle a test name.
if(output MATCHES ";")
  message(FATAL_ERROR "a test case name contains ';', which this script cannot list")
endif()
string(REPLACE "\n" ";" output "${output}")
set(count 0)
foreach(line IN LISTS output)
  if(NOT line MATCHES "^ *<TestCase name=\"([^\"]*)\" testsuite=\"([^\"]*)\"")
    continue()
  endif()
  xml_unescape(test "${CMAKE_MATCH_1}")
  xml_unescape(suite "${CMAKE_MATCH_2}")
  set(labels "")
  if(TEST_ADD_LABELS AND NOT suite STREQUAL "")
    set(labels "${suite}")
  endif()
  if(NOT "${TEST_JUNIT_OUTPUT_DIR}" STREQUAL "")
    string(REGEX REPLACE "[/\\:\"|<>]" "-" test_filename "${test}")
    set(junit_param "--reporters=junit"
        "--out=${TEST_JUNIT_OUTPUT_DIR}/${prefix}${test_filename}${suffix}.xml")
  else()
    unset(junit_param)
  endif()
  # Escaped commas: doctest's --test-case filter splits at a comma.
  string(REPLACE "," "\\," test_name "${test}")
  add_command(add_test "${prefix}${test}${suffix}" ${TEST_EXECUTOR} "${TEST_EXECUTABLE}"
              "--test-case=${test_name}" "${junit_param}" ${extra_args})
  add_command(set_tests_properties "${prefix}${test}${suffix}" PROPERTIES
              WORKING_DIRECTORY "${TEST_WORKING_DIR}" ${properties} LABELS ${labels})
  list(APPEND tests "${prefix}${test}${suffix}")
  math(EXPR count "${count} + 1")
endforeach()
if(count EQUAL 0)
  message(FATAL_ERROR "'${TEST_EXECUTABLE} --list-test-cases --reporters=xml' listed no test case")
endif()
add_command(set ${TEST_LIST} ${tests})
file(WRITE "${CTEST_FILE}" "${script}")
