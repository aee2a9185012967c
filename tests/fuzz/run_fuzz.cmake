# Runs a fuzzer for SECONDS on a fresh corpus seeded at test time: the demo
# model, and the small reference models of SHARED_DIR when it is present
# (nothing third-party is committed). Crashing inputs are left in WORK.
file(REMOVE_RECURSE "${WORK}")
file(MAKE_DIRECTORY "${WORK}/corpus")

execute_process(COMMAND "${DEMO_MODEL}" "${WORK}/corpus/demo.tflite" RESULT_VARIABLE rc)
if(NOT rc EQUAL 0)
  message(FATAL_ERROR "msf-demo-model failed (${rc})")
endif()

# Small seeds keep the fuzzer fast; the large models add little coverage.
file(GLOB seeds "${SHARED_DIR}/reference/ops/*/model.tflite" "${SHARED_DIR}/reference/models/*.tflite")
set(n 0)
foreach(seed ${seeds})
  file(SIZE "${seed}" size)
  if(size LESS_EQUAL 65536)
    math(EXPR n "${n} + 1")
    execute_process(COMMAND "${CMAKE_COMMAND}" -E copy "${seed}" "${WORK}/corpus/seed${n}.tflite")
  endif()
endforeach()
message(STATUS "corpus: demo model and ${n} reference models")

execute_process(COMMAND "${FUZZER}" -max_total_time=${SECONDS} -timeout=10 -rss_limit_mb=2048
                        -print_final_stats=1 -artifact_prefix=${WORK}/ "${WORK}/corpus"
                RESULT_VARIABLE rc)
if(NOT rc EQUAL 0)
  message(FATAL_ERROR "the fuzzer failed (exit ${rc}); the failing input is in ${WORK}")
endif()
