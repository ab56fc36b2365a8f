# shellcheck shell=bash
# rules.sh: the PMD rules of the Apex gate, in one place (sourced by check.sh and
# self-test.sh). Either variable can be overridden from the environment.
#   OperationWithLimitsInLoop           no SOQL, DML or enqueue per loop iteration
#   ApexUnitTestClassShouldHaveAsserts  every test proves something
#   ApexCRUDViolation                   queries and DML state their access mode
#   ApexSharingViolations               every class with SOQL/DML declares its sharing
#   QueueableWithoutFinalizer           a Queueable's failures reach someone
#   AvoidDebugStatements                failures are not only in debug logs (outside tests)
: "${APEX_GATE_RULES:=OperationWithLimitsInLoop,ApexUnitTestClassShouldHaveAsserts,ApexCRUDViolation,ApexSharingViolations,QueueableWithoutFinalizer,AvoidDebugStatements}"
# Rules of APEX_GATE_RULES that do not apply to test classes: the test class logs why a test
# skips with System.debug, by design. Set it empty to apply every rule everywhere.
: "${APEX_GATE_NOT_IN_TESTS=AvoidDebugStatements}"
