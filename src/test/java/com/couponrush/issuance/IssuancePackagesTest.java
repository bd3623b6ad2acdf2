package com.couponrush.issuance;

import static com.tngtech.archunit.base.DescribedPredicate.not;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAPackage;
import static com.tngtech.archunit.core.domain.properties.HasName.Predicates.nameStartingWith;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.simpleName;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

/**
 * Inside the issuance module the dependencies go one way: the use case and the contract at the top, the ledger
 * (the coupon row and the rules) at the bottom, the strategies and the engine in between. No cycles, so each
 * can be read, and changed, on its own.
 */
class IssuancePackagesTest {

    private static final String TOP = "com.couponrush.issuance";
    private static final JavaClasses ISSUANCE = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS).importPackages(TOP);

    @Test
    void theLedgerDependsOnNoOtherPartOfIssuance() {
        noClasses().that().resideInAPackage(TOP + ".ledger")
                .should().dependOnClassesThat().resideInAnyPackage(TOP, TOP + ".strategy", TOP + ".groupcommit",
                        TOP + ".line")
                .check(ISSUANCE);
    }

    /**
     * The line knows only the ledger. The engine hands it its overflow and keeps its batches behind waiting places
     * through the line's two public entries, and the use case's answer for a place ({@code InLine}) carries the
     * line's body; the lock strategies do not know the line.
     */
    @Test
    void theWaitingLineBuildsOnTheLedgerAloneAndOnlyTheEngineAndTheAnswerKnowIt() {
        noClasses().that().resideInAPackage(TOP + ".line")
                .should().dependOnClassesThat().resideInAnyPackage(TOP, TOP + ".strategy", TOP + ".groupcommit")
                .check(ISSUANCE);
        noClasses().that().resideInAPackage(TOP + ".strategy")
                .should().dependOnClassesThat().resideInAPackage(TOP + ".line").check(ISSUANCE);
        noClasses().that().resideInAnyPackage(TOP, TOP + ".groupcommit")
                .should().dependOnClassesThat(resideInAPackage(TOP + ".line")
                        .and(not(simpleName("PlaceTaker")))
                        .and(not(nameStartingWith(TOP + ".line.LineAtTheCouponLock")))
                        .and(not(nameStartingWith(TOP + ".line.LineDtos"))))
                .check(ISSUANCE);
    }

    @Test
    void theUseCaseAndTheContractKnowNoStrategy() {
        noClasses().that().resideInAPackage(TOP)
                .should().dependOnClassesThat().resideInAnyPackage(TOP + ".strategy", TOP + ".groupcommit")
                .check(ISSUANCE);
    }

    @Test
    void theEngineAndTheLockStrategiesDoNotKnowEachOther() {
        noClasses().that().resideInAPackage(TOP + ".groupcommit")
                .should().dependOnClassesThat().resideInAPackage(TOP + ".strategy").check(ISSUANCE);
        noClasses().that().resideInAPackage(TOP + ".strategy")
                .should().dependOnClassesThat().resideInAPackage(TOP + ".groupcommit").check(ISSUANCE);
    }
}
