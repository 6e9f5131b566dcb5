// generated — edit pipelines/jenkins, then run `npx tdr jobs build`
// Job DSL seed: creates every job of the model; run by mgmt/seed on each start and each merge.
folder('mgmt') {
    description('Jobs acting on the mgmt account (management)')
}
folder('sbox') {
    description('Jobs acting on the sbox account (sandbox)')
}
folder('intg') {
    description('Jobs acting on the intg account (workload)')
}
folder('staging') {
    description('Jobs acting on the staging account (workload)')
}
folder('prod') {
    description('Jobs acting on the prod account (workload)')
}
folder('intg/frontend') {
    description('Releases of frontend in intg')
}
folder('intg/consignmentapi') {
    description('Releases of consignmentapi in intg')
}
folder('intg/keycloak') {
    description('Releases of keycloak in intg')
}
folder('intg/transferservice') {
    description('Releases of transferservice in intg')
}
folder('intg/download-files') {
    description('Releases of download-files in intg')
}
folder('intg/antivirus') {
    description('Releases of antivirus in intg')
}
folder('intg/checksum') {
    description('Releases of checksum in intg')
}
folder('intg/file-format') {
    description('Releases of file-format in intg')
}
folder('intg/api-update') {
    description('Releases of api-update in intg')
}
folder('intg/export-api-authoriser') {
    description('Releases of export-api-authoriser in intg')
}
folder('intg/export-status-update') {
    description('Releases of export-status-update in intg')
}
folder('intg/notifications') {
    description('Releases of notifications in intg')
}
folder('intg/create-db-users') {
    description('Releases of create-db-users in intg')
}
folder('intg/database-migrations') {
    description('Releases of database-migrations in intg')
}
folder('intg/service-unavailable') {
    description('Releases of service-unavailable in intg')
}
folder('intg/signed-cookies') {
    description('Releases of signed-cookies in intg')
}
folder('intg/reporting') {
    description('Releases of reporting in intg')
}
folder('intg/canary-judge') {
    description('Releases of canary-judge in intg')
}
folder('staging/frontend') {
    description('Releases of frontend in staging')
}
folder('staging/consignmentapi') {
    description('Releases of consignmentapi in staging')
}
folder('staging/keycloak') {
    description('Releases of keycloak in staging')
}
folder('staging/transferservice') {
    description('Releases of transferservice in staging')
}
folder('staging/download-files') {
    description('Releases of download-files in staging')
}
folder('staging/antivirus') {
    description('Releases of antivirus in staging')
}
folder('staging/checksum') {
    description('Releases of checksum in staging')
}
folder('staging/file-format') {
    description('Releases of file-format in staging')
}
folder('staging/api-update') {
    description('Releases of api-update in staging')
}
folder('staging/export-api-authoriser') {
    description('Releases of export-api-authoriser in staging')
}
folder('staging/export-status-update') {
    description('Releases of export-status-update in staging')
}
folder('staging/notifications') {
    description('Releases of notifications in staging')
}
folder('staging/create-db-users') {
    description('Releases of create-db-users in staging')
}
folder('staging/database-migrations') {
    description('Releases of database-migrations in staging')
}
folder('staging/service-unavailable') {
    description('Releases of service-unavailable in staging')
}
folder('staging/signed-cookies') {
    description('Releases of signed-cookies in staging')
}
folder('staging/reporting') {
    description('Releases of reporting in staging')
}
folder('staging/canary-judge') {
    description('Releases of canary-judge in staging')
}
folder('prod/frontend') {
    description('Releases of frontend in prod')
}
folder('prod/consignmentapi') {
    description('Releases of consignmentapi in prod')
}
folder('prod/keycloak') {
    description('Releases of keycloak in prod')
}
folder('prod/transferservice') {
    description('Releases of transferservice in prod')
}
folder('prod/download-files') {
    description('Releases of download-files in prod')
}
folder('prod/antivirus') {
    description('Releases of antivirus in prod')
}
folder('prod/checksum') {
    description('Releases of checksum in prod')
}
folder('prod/file-format') {
    description('Releases of file-format in prod')
}
folder('prod/api-update') {
    description('Releases of api-update in prod')
}
folder('prod/export-api-authoriser') {
    description('Releases of export-api-authoriser in prod')
}
folder('prod/export-status-update') {
    description('Releases of export-status-update in prod')
}
folder('prod/notifications') {
    description('Releases of notifications in prod')
}
folder('prod/create-db-users') {
    description('Releases of create-db-users in prod')
}
folder('prod/database-migrations') {
    description('Releases of database-migrations in prod')
}
folder('prod/service-unavailable') {
    description('Releases of service-unavailable in prod')
}
folder('prod/signed-cookies') {
    description('Releases of signed-cookies in prod')
}
folder('prod/reporting') {
    description('Releases of reporting in prod')
}
folder('prod/canary-judge') {
    description('Releases of canary-judge in prod')
}
folder('mgmt/infra') {
    description('Pulumi stack of the mgmt account')
}
folder('sbox/infra') {
    description('Pulumi stack of the sbox account')
}
folder('intg/infra') {
    description('Pulumi stack of the intg account')
}
folder('staging/infra') {
    description('Pulumi stack of the staging account')
}
folder('prod/infra') {
    description('Pulumi stack of the prod account')
}
folder('mgmt/build') {
    description('Builds of every source repository: tests, images, vN tags')
}
pipelineJob('intg/e2e') {
    description('Runs the end-to-end tests against intg and records the result for the release')
    parameters {
        choiceParam('SERVICE', ['frontend', 'consignmentapi', 'keycloak', 'transferservice', 'download-files', 'antivirus', 'checksum', 'file-format', 'api-update', 'export-api-authoriser', 'export-status-update', 'notifications', 'create-db-users', 'database-migrations', 'service-unavailable', 'signed-cookies', 'reporting', 'canary-judge'], 'The service just released')
        stringParam('VERSION', '', 'The version just released')
    }
    properties {
        authorizationMatrix {
            inheritanceStrategy {
                nonInheriting()
            }
            entries {
                group {
                    name('nationalarchives*tdr-admins')
                    permissions(['Job/Build', 'Job/Cancel', 'Job/Read'])
                }
                group {
                    name('nationalarchives*tdr-developers')
                    permissions(['Job/Build', 'Job/Cancel', 'Job/Read'])
                }
            }
        }
    }
    definition {
        cps {
            script(readFileFromWorkspace('dist/jenkins/pipelines/e2e-intg.Jenkinsfile'))
            sandbox(true)
        }
    }
}
pipelineJob('intg/frontend/deploy') {
    description('Deploys a build of frontend to intg. Started by frontend\'s build over the Jenkins API; nobody approves.')
    parameters {
        choiceParam('SERVICE', ['frontend'], 'The service this job releases (fixed for this job)')
        stringParam('VERSION', '', 'Release tag, e.g. v42, or a branch build, e.g. branch-fix-1a2b3c4')
        stringParam('GIT_COMMIT', '', 'The commit the version was built from (the build passes it; recorded in the ledger)')
    }
    properties {
        authorizationMatrix {
            inheritanceStrategy {
                nonInheriting()
            }
            entries {
                group {
                    name('nationalarchives*tdr-admins')
                    permissions(['Job/Build', 'Job/Cancel', 'Job/Read'])
                }
                group {
                    name('nationalarchives*tdr-developers')
                    permissions(['Job/Build', 'Job/Cancel', 'Job/Read'])
                }
            }
        }
    }
    definition {
        cps {
            script(readFileFromWorkspace('dist/jenkins/pipelines/deploy-intg.Jenkinsfile'))
            sandbox(true)
        }
    }
}
pipelineJob('intg/frontend/rollback') {
    description('Rolls frontend in intg back to its previous successful release')
    parameters {
        choiceParam('SERVICE', ['frontend'], 'The service this job releases (fixed for this job)')
    }
    properties {
        authorizationMatrix {
            inheritanceStrategy {
                nonInheriting()
            }
            entries {
                group {
                    name('nationalarchives*tdr-admins')
                    permissions(['Job/Build', 'Job/Cancel', 'Job/Read'])
                }
                group {
                    name('nationalarchives*tdr-developers')
                    permissions(['Job/Build', 'Job/Cancel', 'Job/Read'])
                }
            }
        }
    }
    definition {
        cps {
            script(readFileFromWorkspace('dist/jenkins/pipelines/rollback-intg.Jenkinsfile'))
            sandbox(true)
        }
    }
}
pipelineJob('intg/consignmentapi/deploy') {
    description('Deploys a build of consignmentapi to intg. Started by consignmentapi\'s build over the Jenkins API; nobody approves.')
    parameters {
        choiceParam('SERVICE', ['consignmentapi'], 'The service this job releases (fixed for this job)')
        stringParam('VERSION', '', 'Release tag, e.g. v42, or a branch build, e.g. branch-fix-1a2b3c4')
        stringParam('GIT_COMMIT', '', 'The commit the version was built from (the build passes it; recorded in the ledger)')
    }
    properties {
        authorizationMatrix {
            inheritanceStrategy {
                nonInheriting()
            }
            entries {
                group {
                    name('nationalarchives*tdr-admins')
                    permissions(['Job/Build', 'Job/Cancel', 'Job/Read'])
                }
                group {
                    name('nationalarchives*tdr-developers')
                    permissions(['Job/Build', 'Job/Cancel', 'Job/Read'])
                }
            }
        }
    }
    definition {
        cps {
            script(readFileFromWorkspace('dist/jenkins/pipelines/deploy-intg.Jenkinsfile'))
            sandbox(true)
        }
    }
}
pipelineJob('intg/consignmentapi/rollback') {
    description('Rolls consignmentapi in intg back to its previous successful release')
    parameters {
        choiceParam('SERVICE', ['consignmentapi'], 'The service this job releases (fixed for this job)')
    }
    properties {
        authorizationMatrix {
            inheritanceStrategy {
                nonInheriting()
            }
            entries {
                group {
                    name('nationalarchives*tdr-admins')
                    permissions(['Job/Build', 'Job/Cancel', 'Job/Read'])
                }
                group {
                    name('nationalarchives*tdr-developers')
                    permissions(['Job/Build', 'Job/Cancel', 'Job/Read'])
                }
            }
        }
    }
    definition {
        cps {
            script(readFileFromWorkspace('dist/jenkins/pipelines/rollback-intg.Jenkinsfile'))
            sandbox(true)
        }
    }
}
pipelineJob('intg/keycloak/deploy') {
    description('Deploys a build of keycloak to intg. Started by keycloak\'s build over the Jenkins API; nobody approves.')
    parameters {
        choiceParam('SERVICE', ['keycloak'], 'The service this job releases (fixed for this job)')
        stringParam('VERSION', '', 'Release tag, e.g. v42, or a branch build, e.g. branch-fix-1a2b3c4')
        stringParam('GIT_COMMIT', '', 'The commit the version was built from (the build passes it; recorded in the ledger)')
    }
    properties {
        authorizationMatrix {
            inheritanceStrategy {
                nonInheriting()
            }
            entries {
                group {
                    name('nationalarchives*tdr-admins')
                    permissions(['Job/Build', 'Job/Cancel', 'Job/Read'])
                }
                group {
                    name('nationalarchives*tdr-developers')
                    permissions(['Job/Build', 'Job/Cancel', 'Job/Read'])
                }
            }
        }
    }
    definition {
        cps {
            script(readFileFromWorkspace('dist/jenkins/pipelines/deploy-intg.Jenkinsfile'))
            sandbox(true)
        }
    }
}
pipelineJob('intg/keycloak/rollback') {
    description('Rolls keycloak in intg back to its previous successful release')
    parameters {
        choiceParam('SERVICE', ['keycloak'], 'The service this job releases (fixed for this job)')
    }
    properties {
        authorizationMatrix {
            inheritanceStrategy {
                nonInheriting()
            }
            entries {
                group {
                    name('nationalarchives*tdr-admins')
                    permissions(['Job/Build', 'Job/Cancel', 'Job/Read'])
                }
                group {
                    name('nationalarchives*tdr-developers')
                    permissions(['Job/Build', 'Job/Cancel', 'Job/Read'])
                }
            }
        }
    }
    definition {
        cps {
            script(readFileFromWorkspace('dist/jenkins/pipelines/rollback-intg.Jenkinsfile'))
            sandbox(true)
        }
    }
}
pipelineJob('intg/transferservice/deploy') {
    description('Deploys a build of transferservice to intg. Started by transferservice\'s build over the Jenkins API; nobody approves.')
    parameters {
        choiceParam('SERVICE', ['transferservice'], 'The service this job releases (fixed for this job)')
        stringParam('VERSION', '', 'Release tag, e.g. v42, or a branch build, e.g. branch-fix-1a2b3c4')
        stringParam('GIT_COMMIT', '', 'The commit the version was built from (the build passes it; recorded in the ledger)')
    }
    properties {
        authorizationMatrix {
            inheritanceStrategy {
                nonInheriting()
            }
            entries {
                group {
                    name('nationalarchives*tdr-admins')
                    permissions(['Job/Build', 'Job/Cancel', 'Job/Read'])
                }
                group {
                    name('nationalarchives*tdr-developers')
                    permissions(['Job/Build', 'Job/Cancel', 'Job/Read'])
                }
            }
        }
    }
    definition {
        cps {
            script(readFileFromWorkspace('dist/jenkins/pipelines/deploy-intg.Jenkinsfile'))
            sandbox(true)
        }
    }
}
pipelineJob('intg/transferservice/rollback') {
    description('Rolls transferservice in intg back to its previous successful release')
    parameters {
        choiceParam('SERVICE', ['transferservice'], 'The service this job releases (fixed for this job)')
    }
    properties {
        authorizationMatrix {
            inheritanceStrategy {
                nonInheriting()
            }
            entries {
                group {
                    name('nationalarchives*tdr-admins')
                    permissions(['Job/Build', 'Job/Cancel', 'Job/Read'])
                }
                group {
                    name('nationalarchives*tdr-developers')
                    permissions(['Job/Build', 'Job/Cancel', 'Job/Read'])
                }
            }
        }
    }
    definition {
        cps {
            script(readFileFromWorkspace('dist/jenkins/pipelines/rollback-intg.Jenkinsfile'))
            sandbox(true)
        }
    }
}
pipelineJob('intg/download-files/deploy') {
    description('Deploys a build of download-files to intg. Started by download-files\'s build over the Jenkins API; nobody approves.')
    parameters {
        choiceParam('SERVICE', ['download-files'], 'The service this job releases (fixed for this job)')
        stringParam('VERSION', '', 'Release tag, e.g. v42, or a branch build, e.g. branch-fix-1a2b3c4')
        stringParam('GIT_COMMIT', '', 'The commit the version was built from (the build passes it; recorded in the ledger)')
    }
    properties {
        authorizationMatrix {
            inheritanceStrategy {
                nonInheriting()
            }
            entries {
                group {
                    name('nationalarchives*tdr-admins')
                    permissions(['Job/Build', 'Job/Cancel', 'Job/Read'])
                }
                group {
                    name('nationalarchives*tdr-developers')
                    permissions(['Job/Build', 'Job/Cancel', 'Job/Read'])
                }
            }
        }
    }
    definition {
        cps {
            script(readFileFromWorkspace('dist/jenkins/pipelines/deploy-intg.Jenkinsfile'))
            sandbox(true)
        }
    }
}
pipelineJob('intg/download-files/rollback') {
    description('Rolls download-files in intg back to its previous successful release')
    parameters {
        choiceParam('SERVICE', ['download-files'], 'The service this job releases (fixed for this job)')
    }
    properties {
        authorizationMatrix {
            inheritanceStrategy {
                nonInheriting()
            }
            entries {
                group {
                    name('nationalarchives*tdr-admins')
                    permissions(['Job/Build', 'Job/Cancel', 'Job/Read'])
                }
                group {
                    name('nationalarchives*tdr-developers')
                    permissions(['Job/Build', 'Job/Cancel', 'Job/Read'])
                }
            }
        }
    }
    definition {
        cps {
            script(readFileFromWorkspace('dist/jenkins/pipelines/rollback-intg.Jenkinsfile'))
            sandbox(true)
        }
    }
}
pipelineJob('intg/antivirus/deploy') {
    description('Deploys a build of antivirus to intg. Started by antivirus\'s build over the Jenkins API; nobody approves.')
    parameters {
        choiceParam('SERVICE', ['antivirus'], 'The service this job releases (fixed for this job)')
        stringParam('VERSION', '', 'Release tag, e.g. v42, or a branch build, e.g. branch-fix-1a2b3c4')
        stringParam('GIT_COMMIT', '', 'The commit the version was built from (the build passes it; recorded in the ledger)')
    }
    properties {
        authorizationMatrix {
            inheritanceStrategy {
                nonInheriting()
            }
            entries {
                group {
                    name('nationalarchives*tdr-admins')
                    permissions(['Job/Build', 'Job/Cancel', 'Job/Read'])
                }
                group {
                    name('nationalarchives*tdr-developers')
                    permissions(['Job/Build', 'Job/Cancel', 'Job/Read'])
                }
            }
        }
    }
    definition {
        cps {
            script(readFileFromWorkspace('dist/jenkins/pipelines/deploy-intg.Jenkinsfile'))
            sandbox(true)
        }
    }
}
pipelineJob('intg/antivirus/rollback') {
    description('Rolls antivirus in intg back to its previous successful release')
    parameters {
        choiceParam('SERVICE', ['antivirus'], 'The service this job releases (fixed for this job)')
    }
    properties {
        authorizationMatrix {
            inheritanceStrategy {
                nonInheriting()
            }
            entries {
                group {
                    name('nationalarchives*tdr-admins')
                    permissions(['Job/Build', 'Job/Cancel', 'Job/Read'])
                }
                group {
                    name('nationalarchives*tdr-developers')
                    permissions(['Job/Build', 'Job/Cancel', 'Job/Read'])
                }
            }
        }
    }
    definition {
        cps {
            script(readFileFromWorkspace('dist/jenkins/pipelines/rollback-intg.Jenkinsfile'))
            sandbox(true)
        }
    }
}
pipelineJob('intg/checksum/deploy') {
    description('Deploys a build of checksum to intg. Started by checksum\'s build over the Jenkins API; nobody approves.')
    parameters {
        choiceParam('SERVICE', ['checksum'], 'The service this job releases (fixed for this job)')
        stringParam('VERSION', '', 'Release tag, e.g. v42, or a branch build, e.g. branch-fix-1a2b3c4')
        stringParam('GIT_COMMIT', '', 'The commit the version was built from (the build passes it; recorded in the ledger)')
    }
    properties {
        authorizationMatrix {
            inheritanceStrategy {
                nonInheriting()
            }
            entries {
                group {
                    name('nationalarchives*tdr-admins')
                    permissions(['Job/Build', 'Job/Cancel', 'Job/Read'])
                }
                group {
                    name('nationalarchives*tdr-developers')
                    permissions(['Job/Build', 'Job/Cancel', 'Job/Read'])
                }
            }
        }
    }
    definition {
        cps {
            script(readFileFromWorkspace('dist/jenkins/pipelines/deploy-intg.Jenkinsfile'))
            sandbox(true)
        }
    }
}
pipelineJob('intg/checksum/rollback') {
    description('Rolls checksum in intg back to its previous successful release')
    parameters {
        choiceParam('SERVICE', ['checksum'], 'The service this job releases (fixed for this job)')
    }
    properties {
        authorizationMatrix {
            inheritanceStrategy {
                nonInheriting()
            }
            entries {
                group {
                    name('nationalarchives*tdr-admins')
                    permissions(['Job/Build', 'Job/Cancel', 'Job/Read'])
                }
                group {
                    name('nationalarchives*tdr-developers')
                    permissions(['Job/Build', 'Job/Cancel', 'Job/Read'])
                }
            }
        }
    }
    definition {
        cps {
            script(readFileFromWorkspace('dist/jenkins/pipelines/rollback-intg.Jenkinsfile'))
            sandbox(true)
        }
    }
}
pipelineJob('intg/file-format/deploy') {
    description('Deploys a build of file-format to intg. Started by file-format\'s build over the Jenkins API; nobody approves.')
    parameters {
        choiceParam('SERVICE', ['file-format'], 'The service this job releases (fixed for this job)')
        stringParam('VERSION', '', 'Release tag, e.g. v42, or a branch build, e.g. branch-fix-1a2b3c4')
        stringParam('GIT_COMMIT', '', 'The commit the version was built from (the build passes it; recorded in the ledger)')
    }
    properties {
        authorizationMatrix {
            inheritanceStrategy {
                nonInheriting()
            }
            entries {
                group {
                    name('nationalarchives*tdr-admins')
                    permissions(['Job/Build', 'Job/Cancel', 'Job/Read'])
                }
                group {
                    name('nationalarchives*tdr-developers')
                    permissions(['Job/Build', 'Job/Cancel', 'Job/Read'])
                }
            }
        }
    }
    definition {
        cps {
            script(readFileFromWorkspace('dist/jenkins/pipelines/deploy-intg.Jenkinsfile'))
            sandbox(true)
        }
    }
}
pipelineJob('intg/file-format/rollback') {
    description('Rolls file-format in intg back to its previous successful release')
    parameters {
        choiceParam('SERVICE', ['file-format'], 'The service this job releases (fixed for this job)')
    }
    properties {
        authorizationMatrix {
            inheritanceStrategy {
                nonInheriting()
            }
            entries {
                group {
                    name('nationalarchives*tdr-admins')
                    permissions(['Job/Build', 'Job/Cancel', 'Job/Read'])
                }
                group {
                    name('nationalarchives*tdr-developers')
                    permissions(['Job/Build', 'Job/Cancel', 'Job/Read'])
                }
            }
        }
    }
    definition {
        cps {
            script(readFileFromWorkspace('dist/jenkins/pipelines/rollback-intg.Jenkinsfile'))
            sandbox(true)
        }
    }
}
pipelineJob('intg/api-update/deploy') {
    description('Deploys a build of api-update to intg. Started by api-update\'s build over the Jenkins API; nobody approves.')
    parameters {
        choiceParam('SERVICE', ['api-update'], 'The service this job releases (fixed for this job)')
        stringParam('VERSION', '', 'Release tag, e.g. v42, or a branch build, e.g. branch-fix-1a2b3c4')
        stringParam('GIT_COMMIT', '', 'The commit the version was built from (the build passes it; recorded in the ledger)')
    }
    properties {
        authorizationMatrix {
            inheritanceStrategy {
                nonInheriting()
            }
            entries {
                group {
                    name('nationalarchives*tdr-admins')
                    permissions(['Job/Build', 'Job/Cancel', 'Job/Read'])
                }
                group {
                    name('nationalarchives*tdr-developers')
                    permissions(['Job/Build', 'Job/Cancel', 'Job/Read'])
                }
            }
        }
    }
    definition {
        cps {
            script(readFileFromWorkspace('dist/jenkins/pipelines/deploy-intg.Jenkinsfile'))
            sandbox(true)
        }
    }
}
pipelineJob('intg/api-update/rollback') {
    description('Rolls api-update in intg back to its previous successful release')
    parameters {
        choiceParam('SERVICE', ['api-update'], 'The service this job releases (fixed for this job)')
    }
    properties {
        authorizationMatrix {
            inheritanceStrategy {
                nonInheriting()
            }
            entries {
                group {
                    name('nationalarchives*tdr-admins')
                    permissions(['Job/Build', 'Job/Cancel', 'Job/Read'])
                }
                group {
                    name('nationalarchives*tdr-developers')
                    permissions(['Job/Build', 'Job/Cancel', 'Job/Read'])
                }
            }
        }
    }
    definition {
        cps {
            script(readFileFromWorkspace('dist/jenkins/pipelines/rollback-intg.Jenkinsfile'))
            sandbox(true)
        }
    }
}
pipelineJob('intg/export-api-authoriser/deploy') {
    description('Deploys a build of export-api-authoriser to intg. Started by export-api-authoriser\'s build over the Jenkins API; nobody approves.')
    parameters {
        choiceParam('SERVICE', ['export-api-authoriser'], 'The service this job releases (fixed for this job)')
        stringParam('VERSION', '', 'Release tag, e.g. v42, or a branch build, e.g. branch-fix-1a2b3c4')
        stringParam('GIT_COMMIT', '', 'The commit the version was built from (the build passes it; recorded in the ledger)')
    }
    properties {
        authorizationMatrix {
            inheritanceStrategy {
                nonInheriting()
            }
            entries {
                group {
                    name('nationalarchives*tdr-admins')
                    permissions(['Job/Build', 'Job/Cancel', 'Job/Read'])
                }
                group {
                    name('nationalarchives*tdr-developers')
                    permissions(['Job/Build', 'Job/Cancel', 'Job/Read'])
                }
            }
        }
    }
    definition {
        cps {
            script(readFileFromWorkspace('dist/jenkins/pipelines/deploy-intg.Jenkinsfile'))
            sandbox(true)
        }
    }
}
pipelineJob('intg/export-api-authoriser/rollback') {
    description('Rolls export-api-authoriser in intg back to its previous successful release')
    parameters {
        choiceParam('SERVICE', ['export-api-authoriser'], 'The service this job releases (fixed for this job)')
    }
    properties {
        authorizationMatrix {
            inheritanceStrategy {
                nonInheriting()
            }
            entries {
                group {
                    name('nationalarchives*tdr-admins')
                    permissions(['Job/Build', 'Job/Cancel', 'Job/Read'])
                }
                group {
                    name('nationalarchives*tdr-developers')
                    permissions(['Job/Build', 'Job/Cancel', 'Job/Read'])
                }
            }
        }
    }
    definition {
        cps {
            script(readFileFromWorkspace('dist/jenkins/pipelines/rollback-intg.Jenkinsfile'))
            sandbox(true)
        }
    }
}
pipelineJob('intg/export-status-update/deploy') {
    description('Deploys a build of export-status-update to intg. Started by export-status-update\'s build over the Jenkins API; nobody approves.')
    parameters {
        choiceParam('SERVICE', ['export-status-update'], 'The service this job releases (fixed for this job)')
        stringParam('VERSION', '', 'Release tag, e.g. v42, or a branch build, e.g. branch-fix-1a2b3c4')
        stringParam('GIT_COMMIT', '', 'The commit the version was built from (the build passes it; recorded in the ledger)')
    }
    properties {
        authorizationMatrix {
            inheritanceStrategy {
                nonInheriting()
            }
            entries {
                group {
                    name('nationalarchives*tdr-admins')
                    permissions(['Job/Build', 'Job/Cancel', 'Job/Read'])
                }
                group {
                    name('nationalarchives*tdr-developers')
                    permissions(['Job/Build', 'Job/Cancel', 'Job/Read'])
                }
            }
        }
    }
    definition {
        cps {
            script(readFileFromWorkspace('dist/jenkins/pipelines/deploy-intg.Jenkinsfile'))
            sandbox(true)
        }
    }
}
pipelineJob('intg/export-status-update/rollback') {
    description('Rolls export-status-update in intg back to its previous successful release')
    parameters {
        choiceParam('SERVICE', ['export-status-update'], 'The service this job releases (fixed for this job)')
    }
    properties {
        authorizationMatrix {
            inheritanceStrategy {
                nonInheriting()
            }
            entries {
                group {
                    name('nationalarchives*tdr-admins')
                    permissions(['Job/Build', 'Job/Cancel', 'Job/Read'])
                }
                group {
                    name('nationalarchives*tdr-developers')
                    permissions(['Job/Build', 'Job/Cancel', 'Job/Read'])
                }
            }
        }
    }
    definition {
        cps {
            script(readFileFromWorkspace('dist/jenkins/pipelines/rollback-intg.Jenkinsfile'))
            sandbox(true)
        }
    }
}
pipelineJob('intg/notifications/deploy') {
    description('Deploys a build of notifications to intg. Started by notifications\'s build over the Jenkins API; nobody approves.')
    parameters {
        choiceParam('SERVICE', ['notifications'], 'The service this job releases (fixed for this job)')
        stringParam('VERSION', '', 'Release tag, e.g. v42, or a branch build, e.g. branch-fix-1a2b3c4')
        stringParam('GIT_COMMIT', '', 'The commit the version was built from (the build passes it; recorded in the ledger)')
    }
    properties {
        authorizationMatrix {
            inheritanceStrategy {
                nonInheriting()
            }
            entries {
                group {
                    name('nationalarchives*tdr-admins')
                    permissions(['Job/Build', 'Job/Cancel', 'Job/Read'])
                }
                group {
                    name('nationalarchives*tdr-developers')
                    permissions(['Job/Build', 'Job/Cancel', 'Job/Read'])
                }
            }
        }
    }
    definition {
        cps {
            script(readFileFromWorkspace('dist/jenkins/pipelines/deploy-intg.Jenkinsfile'))
            sandbox(true)
        }
    }
}
pipelineJob('intg/notifications/rollback') {
    description('Rolls notifications in intg back to its previous successful release')
    parameters {
        choiceParam('SERVICE', ['notifications'], 'The service this job releases (fixed for this job)')
    }
    properties {
        authorizationMatrix {
            inheritanceStrategy {
                nonInheriting()
            }
            entries {
                group {
                    name('nationalarchives*tdr-admins')
                    permissions(['Job/Build', 'Job/Cancel', 'Job/Read'])
                }
                group {
                    name('nationalarchives*tdr-developers')
                    permissions(['Job/Build', 'Job/Cancel', 'Job/Read'])
                }
            }
        }
    }
    definition {
        cps {
            script(readFileFromWorkspace('dist/jenkins/pipelines/rollback-intg.Jenkinsfile'))
            sandbox(true)
        }
    }
}
pipelineJob('intg/create-db-users/deploy') {
    description('Deploys a build of create-db-users to intg. Started by create-db-users\'s build over the Jenkins API; nobody approves.')
    parameters {
        choiceParam('SERVICE', ['create-db-users'], 'The service this job releases (fixed for this job)')
        stringParam('VERSION', '', 'Release tag, e.g. v42, or a branch build, e.g. branch-fix-1a2b3c4')
        stringParam('GIT_COMMIT', '', 'The commit the version was built from (the build passes it; recorded in the ledger)')
    }
    properties {
        authorizationMatrix {
            inheritanceStrategy {
                nonInheriting()
            }
            entries {
                group {
                    name('nationalarchives*tdr-admins')
                    permissions(['Job/Build', 'Job/Cancel', 'Job/Read'])
                }
                group {
                    name('nationalarchives*tdr-developers')
                    permissions(['Job/Build', 'Job/Cancel', 'Job/Read'])
                }
            }
        }
    }
    definition {
        cps {
            script(readFileFromWorkspace('dist/jenkins/pipelines/deploy-intg.Jenkinsfile'))
            sandbox(true)
        }
    }
}
pipelineJob('intg/create-db-users/rollback') {
    description('Rolls create-db-users in intg back to its previous successful release')
    parameters {
        choiceParam('SERVICE', ['create-db-users'], 'The service this job releases (fixed for this job)')
    }
    properties {
        authorizationMatrix {
            inheritanceStrategy {
                nonInheriting()
            }
            entries {
                group {
                    name('nationalarchives*tdr-admins')
                    permissions(['Job/Build', 'Job/Cancel', 'Job/Read'])
                }
                group {
                    name('nationalarchives*tdr-developers')
                    permissions(['Job/Build', 'Job/Cancel', 'Job/Read'])
                }
            }
        }
    }
    definition {
        cps {
            script(readFileFromWorkspace('dist/jenkins/pipelines/rollback-intg.Jenkinsfile'))
            sandbox(true)
        }
    }
}
pipelineJob('intg/database-migrations/deploy') {
    description('Deploys a build of database-migrations to intg. Started by database-migrations\'s build over the Jenkins API; nobody approves.')
    parameters {
        choiceParam('SERVICE', ['database-migrations'], 'The service this job releases (fixed for this job)')
        stringParam('VERSION', '', 'Release tag, e.g. v42, or a branch build, e.g. branch-fix-1a2b3c4')
        stringParam('GIT_COMMIT', '', 'The commit the version was built from (the build passes it; recorded in the ledger)')
    }
    properties {
        authorizationMatrix {
            inheritanceStrategy {
                nonInheriting()
            }
            entries {
                group {
                    name('nationalarchives*tdr-admins')
                    permissions(['Job/Build', 'Job/Cancel', 'Job/Read'])
                }
                group {
                    name('nationalarchives*tdr-developers')
                    permissions(['Job/Build', 'Job/Cancel', 'Job/Read'])
                }
            }
        }
    }
    definition {
        cps {
            script(readFileFromWorkspace('dist/jenkins/pipelines/deploy-intg.Jenkinsfile'))
            sandbox(true)
        }
    }
}
pipelineJob('intg/database-migrations/rollback') {
    description('Rolls database-migrations in intg back to its previous successful release')
    parameters {
        choiceParam('SERVICE', ['database-migrations'], 'The service this job releases (fixed for this job)')
    }
    properties {
        authorizationMatrix {
            inheritanceStrategy {
                nonInheriting()
            }
            entries {
                group {
                    name('nationalarchives*tdr-admins')
                    permissions(['Job/Build', 'Job/Cancel', 'Job/Read'])
                }
                group {
                    name('nationalarchives*tdr-developers')
                    permissions(['Job/Build', 'Job/Cancel', 'Job/Read'])
                }
            }
        }
    }
    definition {
        cps {
            script(readFileFromWorkspace('dist/jenkins/pipelines/rollback-intg.Jenkinsfile'))
            sandbox(true)
        }
    }
}
pipelineJob('intg/service-unavailable/deploy') {
    description('Deploys a build of service-unavailable to intg. Started by service-unavailable\'s build over the Jenkins API; nobody approves.')
    parameters {
        choiceParam('SERVICE', ['service-unavailable'], 'The service this job releases (fixed for this job)')
        stringParam('VERSION', '', 'Release tag, e.g. v42, or a branch build, e.g. branch-fix-1a2b3c4')
        stringParam('GIT_COMMIT', '', 'The commit the version was built from (the build passes it; recorded in the ledger)')
    }
    properties {
        authorizationMatrix {
            inheritanceStrategy {
                nonInheriting()
            }
            entries {
                group {
                    name('nationalarchives*tdr-admins')
                    permissions(['Job/Build', 'Job/Cancel', 'Job/Read'])
                }
                group {
                    name('nationalarchives*tdr-developers')
                    permissions(['Job/Build', 'Job/Cancel', 'Job/Read'])
                }
            }
        }
    }
    definition {
        cps {
            script(readFileFromWorkspace('dist/jenkins/pipelines/deploy-intg.Jenkinsfile'))
            sandbox(true)
        }
    }
}
pipelineJob('intg/service-unavailable/rollback') {
    description('Rolls service-unavailable in intg back to its previous successful release')
    parameters {
        choiceParam('SERVICE', ['service-unavailable'], 'The service this job releases (fixed for this job)')
    }
    properties {
        authorizationMatrix {
            inheritanceStrategy {
                nonInheriting()
            }
            entries {
                group {
                    name('nationalarchives*tdr-admins')
                    permissions(['Job/Build', 'Job/Cancel', 'Job/Read'])
                }
                group {
                    name('nationalarchives*tdr-developers')
                    permissions(['Job/Build', 'Job/Cancel', 'Job/Read'])
                }
            }
        }
    }
    definition {
        cps {
            script(readFileFromWorkspace('dist/jenkins/pipelines/rollback-intg.Jenkinsfile'))
            sandbox(true)
        }
    }
}
pipelineJob('intg/signed-cookies/deploy') {
    description('Deploys a build of signed-cookies to intg. Started by signed-cookies\'s build over the Jenkins API; nobody approves.')
    parameters {
        choiceParam('SERVICE', ['signed-cookies'], 'The service this job releases (fixed for this job)')
        stringParam('VERSION', '', 'Release tag, e.g. v42, or a branch build, e.g. branch-fix-1a2b3c4')
        stringParam('GIT_COMMIT', '', 'The commit the version was built from (the build passes it; recorded in the ledger)')
    }
    properties {
        authorizationMatrix {
            inheritanceStrategy {
                nonInheriting()
            }
            entries {
                group {
                    name('nationalarchives*tdr-admins')
                    permissions(['Job/Build', 'Job/Cancel', 'Job/Read'])
                }
                group {
                    name('nationalarchives*tdr-developers')
                    permissions(['Job/Build', 'Job/Cancel', 'Job/Read'])
                }
            }
        }
    }
    definition {
        cps {
            script(readFileFromWorkspace('dist/jenkins/pipelines/deploy-intg.Jenkinsfile'))
            sandbox(true)
        }
    }
}
pipelineJob('intg/signed-cookies/rollback') {
    description('Rolls signed-cookies in intg back to its previous successful release')
    parameters {
        choiceParam('SERVICE', ['signed-cookies'], 'The service this job releases (fixed for this job)')
    }
    properties {
        authorizationMatrix {
            inheritanceStrategy {
                nonInheriting()
            }
            entries {
                group {
                    name('nationalarchives*tdr-admins')
                    permissions(['Job/Build', 'Job/Cancel', 'Job/Read'])
                }
                group {
                    name('nationalarchives*tdr-developers')
                    permissions(['Job/Build', 'Job/Cancel', 'Job/Read'])
                }
            }
        }
    }
    definition {
        cps {
            script(readFileFromWorkspace('dist/jenkins/pipelines/rollback-intg.Jenkinsfile'))
            sandbox(true)
        }
    }
}
pipelineJob('intg/reporting/deploy') {
    description('Deploys a build of reporting to intg. Started by reporting\'s build over the Jenkins API; nobody approves.')
    parameters {
        choiceParam('SERVICE', ['reporting'], 'The service this job releases (fixed for this job)')
        stringParam('VERSION', '', 'Release tag, e.g. v42, or a branch build, e.g. branch-fix-1a2b3c4')
        stringParam('GIT_COMMIT', '', 'The commit the version was built from (the build passes it; recorded in the ledger)')
    }
    properties {
        authorizationMatrix {
            inheritanceStrategy {
                nonInheriting()
            }
            entries {
                group {
                    name('nationalarchives*tdr-admins')
                    permissions(['Job/Build', 'Job/Cancel', 'Job/Read'])
                }
                group {
                    name('nationalarchives*tdr-developers')
                    permissions(['Job/Build', 'Job/Cancel', 'Job/Read'])
                }
            }
        }
    }
    definition {
        cps {
            script(readFileFromWorkspace('dist/jenkins/pipelines/deploy-intg.Jenkinsfile'))
            sandbox(true)
        }
    }
}
pipelineJob('intg/reporting/rollback') {
    description('Rolls reporting in intg back to its previous successful release')
    parameters {
        choiceParam('SERVICE', ['reporting'], 'The service this job releases (fixed for this job)')
    }
    properties {
        authorizationMatrix {
            inheritanceStrategy {
                nonInheriting()
            }
            entries {
                group {
                    name('nationalarchives*tdr-admins')
                    permissions(['Job/Build', 'Job/Cancel', 'Job/Read'])
                }
                group {
                    name('nationalarchives*tdr-developers')
                    permissions(['Job/Build', 'Job/Cancel', 'Job/Read'])
                }
            }
        }
    }
    definition {
        cps {
            script(readFileFromWorkspace('dist/jenkins/pipelines/rollback-intg.Jenkinsfile'))
            sandbox(true)
        }
    }
}
pipelineJob('intg/canary-judge/deploy') {
    description('Deploys a build of canary-judge to intg. Started by canary-judge\'s build over the Jenkins API; nobody approves.')
    parameters {
        choiceParam('SERVICE', ['canary-judge'], 'The service this job releases (fixed for this job)')
        stringParam('VERSION', '', 'Release tag, e.g. v42, or a branch build, e.g. branch-fix-1a2b3c4')
        stringParam('GIT_COMMIT', '', 'The commit the version was built from (the build passes it; recorded in the ledger)')
    }
    properties {
        authorizationMatrix {
            inheritanceStrategy {
                nonInheriting()
            }
            entries {
                group {
                    name('nationalarchives*tdr-admins')
                    permissions(['Job/Build', 'Job/Cancel', 'Job/Read'])
                }
                group {
                    name('nationalarchives*tdr-developers')
                    permissions(['Job/Build', 'Job/Cancel', 'Job/Read'])
                }
            }
        }
    }
    definition {
        cps {
            script(readFileFromWorkspace('dist/jenkins/pipelines/deploy-intg.Jenkinsfile'))
            sandbox(true)
        }
    }
}
pipelineJob('intg/canary-judge/rollback') {
    description('Rolls canary-judge in intg back to its previous successful release')
    parameters {
        choiceParam('SERVICE', ['canary-judge'], 'The service this job releases (fixed for this job)')
    }
    properties {
        authorizationMatrix {
            inheritanceStrategy {
                nonInheriting()
            }
            entries {
                group {
                    name('nationalarchives*tdr-admins')
                    permissions(['Job/Build', 'Job/Cancel', 'Job/Read'])
                }
                group {
                    name('nationalarchives*tdr-developers')
                    permissions(['Job/Build', 'Job/Cancel', 'Job/Read'])
                }
            }
        }
    }
    definition {
        cps {
            script(readFileFromWorkspace('dist/jenkins/pipelines/rollback-intg.Jenkinsfile'))
            sandbox(true)
        }
    }
}
pipelineJob('staging/e2e') {
    description('Runs the end-to-end tests against staging and records the result for the release')
    parameters {
        choiceParam('SERVICE', ['frontend', 'consignmentapi', 'keycloak', 'transferservice', 'download-files', 'antivirus', 'checksum', 'file-format', 'api-update', 'export-api-authoriser', 'export-status-update', 'notifications', 'create-db-users', 'database-migrations', 'service-unavailable', 'signed-cookies', 'reporting', 'canary-judge'], 'The service just released')
        stringParam('VERSION', '', 'The version just released')
    }
    properties {
        authorizationMatrix {
            inheritanceStrategy {
                nonInheriting()
            }
            entries {
                group {
                    name('nationalarchives*tdr-admins')
                    permissions(['Job/Build', 'Job/Cancel', 'Job/Read'])
                }
                group {
                    name('nationalarchives*tdr-developers')
                    permissions(['Job/Build', 'Job/Cancel', 'Job/Read'])
                }
            }
        }
    }
    definition {
        cps {
            script(readFileFromWorkspace('dist/jenkins/pipelines/e2e-staging.Jenkinsfile'))
            sandbox(true)
        }
    }
}
pipelineJob('staging/frontend/promote') {
    description('Promotes frontend from intg to staging.')
    parameters {
        choiceParam('SERVICE', ['frontend'], 'The service this job releases (fixed for this job)')
        stringParam('VERSION', '', 'Release tag, e.g. v42; empty promotes the version live in intg')
    }
    properties {
        authorizationMatrix {
            inheritanceStrategy {
                nonInheriting()
            }
            entries {
                group {
                    name('nationalarchives*tdr-admins')
                    permissions(['Job/Build', 'Job/Cancel', 'Job/Read'])
                }
                group {
                    name('nationalarchives*tdr-developers')
                    permissions(['Job/Build', 'Job/Cancel', 'Job/Read'])
                }
            }
        }
    }
    definition {
        cps {
            script(readFileFromWorkspace('dist/jenkins/pipelines/promote-staging.Jenkinsfile'))
            sandbox(true)
        }
    }
}
pipelineJob('staging/frontend/rollback') {
    description('Rolls frontend in staging back to its previous successful release')
    parameters {
        choiceParam('SERVICE', ['frontend'], 'The service this job releases (fixed for this job)')
    }
    properties {
        authorizationMatrix {
            inheritanceStrategy {
                nonInheriting()
            }
            entries {
                group {
                    name('nationalarchives*tdr-admins')
                    permissions(['Job/Build', 'Job/Cancel', 'Job/Read'])
                }
                group {
                    name('nationalarchives*tdr-developers')
                    permissions(['Job/Build', 'Job/Cancel', 'Job/Read'])
                }
            }
        }
    }
    definition {
        cps {
            script(readFileFromWorkspace('dist/jenkins/pipelines/rollback-staging.Jenkinsfile'))
            sandbox(true)
        }
    }
}
pipelineJob('staging/consignmentapi/promote') {
    description('Promotes consignmentapi from intg to staging.')
    parameters {
        choiceParam('SERVICE', ['consignmentapi'], 'The service this job releases (fixed for this job)')
        stringParam('VERSION', '', 'Release tag, e.g. v42; empty promotes the version live in intg')
    }
    properties {
        authorizationMatrix {
            inheritanceStrategy {
                nonInheriting()
            }
            entries {
                group {
                    name('nationalarchives*tdr-admins')
                    permissions(['Job/Build', 'Job/Cancel', 'Job/Read'])
                }
                group {
                    name('nationalarchives*tdr-developers')
                    permissions(['Job/Build', 'Job/Cancel', 'Job/Read'])
                }
            }
        }
    }
    definition {
        cps {
            script(readFileFromWorkspace('dist/jenkins/pipelines/promote-staging.Jenkinsfile'))
            sandbox(true)
        }
    }
}
pipelineJob('staging/consignmentapi/rollback') {
    description('Rolls consignmentapi in staging back to its previous successful release')
    parameters {
        choiceParam('SERVICE', ['consignmentapi'], 'The service this job releases (fixed for this job)')
    }
    properties {
        authorizationMatrix {
            inheritanceStrategy {
                nonInheriting()
            }
            entries {
                group {
                    name('nationalarchives*tdr-admins')
                    permissions(['Job/Build', 'Job/Cancel', 'Job/Read'])
                }
                group {
                    name('nationalarchives*tdr-developers')
                    permissions(['Job/Build', 'Job/Cancel', 'Job/Read'])
                }
            }
        }
    }
    definition {
        cps {
            script(readFileFromWorkspace('dist/jenkins/pipelines/rollback-staging.Jenkinsfile'))
            sandbox(true)
        }
    }
}
pipelineJob('staging/keycloak/promote') {
    description('Promotes keycloak from intg to staging.')
    parameters {
        choiceParam('SERVICE', ['keycloak'], 'The service this job releases (fixed for this job)')
        stringParam('VERSION', '', 'Release tag, e.g. v42; empty promotes the version live in intg')
    }
    properties {
        authorizationMatrix {
            inheritanceStrategy {
                nonInheriting()
            }
            entries {
                group {
                    name('nationalarchives*tdr-admins')
                    permissions(['Job/Build', 'Job/Cancel', 'Job/Read'])
                }
                group {
                    name('nationalarchives*tdr-developers')
                    permissions(['Job/Build', 'Job/Cancel', 'Job/Read'])
                }
            }
        }
    }
    definition {
        cps {
            script(readFileFromWorkspace('dist/jenkins/pipelines/promote-staging.Jenkinsfile'))
            sandbox(true)
        }
    }
}
pipelineJob('staging/keycloak/rollback') {
    description('Rolls keycloak in staging back to its previous successful release')
    parameters {
        choiceParam('SERVICE', ['keycloak'], 'The service this job releases (fixed for this job)')
    }
    properties {
        authorizationMatrix {
            inheritanceStrategy {
                nonInheriting()
            }
            entries {
                group {
                    name('nationalarchives*tdr-admins')
                    permissions(['Job/Build', 'Job/Cancel', 'Job/Read'])
                }
                group {
                    name('nationalarchives*tdr-developers')
                    permissions(['Job/Build', 'Job/Cancel', 'Job/Read'])
                }
            }
        }
    }
    definition {
        cps {
            script(readFileFromWorkspace('dist/jenkins/pipelines/rollback-staging.Jenkinsfile'))
            sandbox(true)
        }
    }
}
pipelineJob('staging/transferservice/promote') {
    description('Promotes transferservice from intg to staging.')
    parameters {
        choiceParam('SERVICE', ['transferservice'], 'The service this job releases (fixed for this job)')
        stringParam('VERSION', '', 'Release tag, e.g. v42; empty promotes the version live in intg')
    }
    properties {
        authorizationMatrix {
            inheritanceStrategy {
                nonInheriting()
            }
            entries {
                group {
                    name('nationalarchives*tdr-admins')
                    permissions(['Job/Build', 'Job/Cancel', 'Job/Read'])
                }
                group {
                    name('nationalarchives*tdr-developers')
                    permissions(['Job/Build', 'Job/Cancel', 'Job/Read'])
                }
            }
        }
    }
    definition {
        cps {
            script(readFileFromWorkspace('dist/jenkins/pipelines/promote-staging.Jenkinsfile'))
            sandbox(true)
        }
    }
}
pipelineJob('staging/transferservice/rollback') {
    description('Rolls transferservice in staging back to its previous successful release')
    parameters {
        choiceParam('SERVICE', ['transferservice'], 'The service this job releases (fixed for this job)')
    }
    properties {
        authorizationMatrix {
            inheritanceStrategy {
                nonInheriting()
            }
            entries {
                group {
                    name('nationalarchives*tdr-admins')
                    permissions(['Job/Build', 'Job/Cancel', 'Job/Read'])
                }
                group {
                    name('nationalarchives*tdr-developers')
                    permissions(['Job/Build', 'Job/Cancel', 'Job/Read'])
                }
            }
        }
    }
    definition {
        cps {
            script(readFileFromWorkspace('dist/jenkins/pipelines/rollback-staging.Jenkinsfile'))
            sandbox(true)
        }
    }
}
pipelineJob('staging/download-files/promote') {
    description('Promotes download-files from intg to staging.')
    parameters {
        choiceParam('SERVICE', ['download-files'], 'The service this job releases (fixed for this job)')
        stringParam('VERSION', '', 'Release tag, e.g. v42; empty promotes the version live in intg')
    }
    properties {
        authorizationMatrix {
            inheritanceStrategy {
                nonInheriting()
            }
            entries {
                group {
                    name('nationalarchives*tdr-admins')
                    permissions(['Job/Build', 'Job/Cancel', 'Job/Read'])
                }
                group {
                    name('nationalarchives*tdr-developers')
                    permissions(['Job/Build', 'Job/Cancel', 'Job/Read'])
                }
            }
        }
    }
    definition {
        cps {
            script(readFileFromWorkspace('dist/jenkins/pipelines/promote-staging.Jenkinsfile'))
            sandbox(true)
        }
    }
}
pipelineJob('staging/download-files/rollback') {
    description('Rolls download-files in staging back to its previous successful release')
    parameters {
        choiceParam('SERVICE', ['download-files'], 'The service this job releases (fixed for this job)')
    }
    properties {
        authorizationMatrix {
            inheritanceStrategy {
                nonInheriting()
            }
            entries {
                group {
                    name('nationalarchives*tdr-admins')
                    permissions(['Job/Build', 'Job/Cancel', 'Job/Read'])
                }
                group {
                    name('nationalarchives*tdr-developers')
                    permissions(['Job/Build', 'Job/Cancel', 'Job/Read'])
                }
            }
        }
    }
    definition {
        cps {
            script(readFileFromWorkspace('dist/jenkins/pipelines/rollback-staging.Jenkinsfile'))
            sandbox(true)
        }
    }
}
pipelineJob('staging/antivirus/promote') {
    description('Promotes antivirus from intg to staging.')
    parameters {
        choiceParam('SERVICE', ['antivirus'], 'The service this job releases (fixed for this job)')
        stringParam('VERSION', '', 'Release tag, e.g. v42; empty promotes the version live in intg')
    }
    properties {
        authorizationMatrix {
            inheritanceStrategy {
                nonInheriting()
            }
            entries {
                group {
                    name('nationalarchives*tdr-admins')
                    permissions(['Job/Build', 'Job/Cancel', 'Job/Read'])
                }
                group {
                    name('nationalarchives*tdr-developers')
                    permissions(['Job/Build', 'Job/Cancel', 'Job/Read'])
                }
            }
        }
    }
    definition {
        cps {
            script(readFileFromWorkspace('dist/jenkins/pipelines/promote-staging.Jenkinsfile'))
            sandbox(true)
        }
    }
}
pipelineJob('staging/antivirus/rollback') {
    description('Rolls antivirus in staging back to its previous successful release')
    parameters {
        choiceParam('SERVICE', ['antivirus'], 'The service this job releases (fixed for this job)')
    }
    properties {
        authorizationMatrix {
            inheritanceStrategy {
                nonInheriting()
            }
            entries {
                group {
                    name('nationalarchives*tdr-admins')
                    permissions(['Job/Build', 'Job/Cancel', 'Job/Read'])
                }
                group {
                    name('nationalarchives*tdr-developers')
                    permissions(['Job/Build', 'Job/Cancel', 'Job/Read'])
                }
            }
        }
    }
    definition {
        cps {
            script(readFileFromWorkspace('dist/jenkins/pipelines/rollback-staging.Jenkinsfile'))
            sandbox(true)
        }
    }
}
pipelineJob('staging/checksum/promote') {
    description('Promotes checksum from intg to staging.')
    parameters {
        choiceParam('SERVICE', ['checksum'], 'The service this job releases (fixed for this job)')
        stringParam('VERSION', '', 'Release tag, e.g. v42; empty promotes the version live in intg')
    }
    properties {
        authorizationMatrix {
            inheritanceStrategy {
                nonInheriting()
            }
            entries {
                group {
                    name('nationalarchives*tdr-admins')
                    permissions(['Job/Build', 'Job/Cancel', 'Job/Read'])
                }
                group {
                    name('nationalarchives*tdr-developers')
                    permissions(['Job/Build', 'Job/Cancel', 'Job/Read'])
                }
            }
        }
    }
    definition {
        cps {
            script(readFileFromWorkspace('dist/jenkins/pipelines/promote-staging.Jenkinsfile'))
            sandbox(true)
        }
    }
}
pipelineJob('staging/checksum/rollback') {
    description('Rolls checksum in staging back to its previous successful release')
    parameters {
        choiceParam('SERVICE', ['checksum'], 'The service this job releases (fixed for this job)')
    }
    properties {
        authorizationMatrix {
            inheritanceStrategy {
                nonInheriting()
            }
            entries {
                group {
                    name('nationalarchives*tdr-admins')
                    permissions(['Job/Build', 'Job/Cancel', 'Job/Read'])
                }
                group {
                    name('nationalarchives*tdr-developers')
                    permissions(['Job/Build', 'Job/Cancel', 'Job/Read'])
                }
            }
        }
    }
    definition {
        cps {
            script(readFileFromWorkspace('dist/jenkins/pipelines/rollback-staging.Jenkinsfile'))
            sandbox(true)
        }
    }
}
pipelineJob('staging/file-format/promote') {
    description('Promotes file-format from intg to staging.')
    parameters {
        choiceParam('SERVICE', ['file-format'], 'The service this job releases (fixed for this job)')
        stringParam('VERSION', '', 'Release tag, e.g. v42; empty promotes the version live in intg')
    }
    properties {
        authorizationMatrix {
            inheritanceStrategy {
                nonInheriting()
            }
            entries {
                group {
                    name('nationalarchives*tdr-admins')
                    permissions(['Job/Build', 'Job/Cancel', 'Job/Read'])
                }
                group {
                    name('nationalarchives*tdr-developers')
                    permissions(['Job/Build', 'Job/Cancel', 'Job/Read'])
                }
            }
        }
    }
    definition {
        cps {
            script(readFileFromWorkspace('dist/jenkins/pipelines/promote-staging.Jenkinsfile'))
            sandbox(true)
        }
    }
}
pipelineJob('staging/file-format/rollback') {
    description('Rolls file-format in staging back to its previous successful release')
    parameters {
        choiceParam('SERVICE', ['file-format'], 'The service this job releases (fixed for this job)')
    }
    properties {
        authorizationMatrix {
            inheritanceStrategy {
                nonInheriting()
            }
            entries {
                group {
                    name('nationalarchives*tdr-admins')
                    permissions(['Job/Build', 'Job/Cancel', 'Job/Read'])
                }
                group {
                    name('nationalarchives*tdr-developers')
                    permissions(['Job/Build', 'Job/Cancel', 'Job/Read'])
                }
            }
        }
    }
    definition {
        cps {
            script(readFileFromWorkspace('dist/jenkins/pipelines/rollback-staging.Jenkinsfile'))
            sandbox(true)
        }
    }
}
pipelineJob('staging/api-update/promote') {
    description('Promotes api-update from intg to staging.')
    parameters {
        choiceParam('SERVICE', ['api-update'], 'The service this job releases (fixed for this job)')
        stringParam('VERSION', '', 'Release tag, e.g. v42; empty promotes the version live in intg')
    }
    properties {
        authorizationMatrix {
            inheritanceStrategy {
                nonInheriting()
            }
            entries {
                group {
                    name('nationalarchives*tdr-admins')
                    permissions(['Job/Build', 'Job/Cancel', 'Job/Read'])
                }
                group {
                    name('nationalarchives*tdr-developers')
                    permissions(['Job/Build', 'Job/Cancel', 'Job/Read'])
                }
            }
        }
    }
    definition {
        cps {
            script(readFileFromWorkspace('dist/jenkins/pipelines/promote-staging.Jenkinsfile'))
            sandbox(true)
        }
    }
}
pipelineJob('staging/api-update/rollback') {
    description('Rolls api-update in staging back to its previous successful release')
    parameters {
        choiceParam('SERVICE', ['api-update'], 'The service this job releases (fixed for this job)')
    }
    properties {
        authorizationMatrix {
            inheritanceStrategy {
                nonInheriting()
            }
            entries {
                group {
                    name('nationalarchives*tdr-admins')
                    permissions(['Job/Build', 'Job/Cancel', 'Job/Read'])
                }
                group {
                    name('nationalarchives*tdr-developers')
                    permissions(['Job/Build', 'Job/Cancel', 'Job/Read'])
                }
            }
        }
    }
    definition {
        cps {
            script(readFileFromWorkspace('dist/jenkins/pipelines/rollback-staging.Jenkinsfile'))
            sandbox(true)
        }
    }
}
pipelineJob('staging/export-api-authoriser/promote') {
    description('Promotes export-api-authoriser from intg to staging.')
    parameters {
        choiceParam('SERVICE', ['export-api-authoriser'], 'The service this job releases (fixed for this job)')
        stringParam('VERSION', '', 'Release tag, e.g. v42; empty promotes the version live in intg')
    }
    properties {
        authorizationMatrix {
            inheritanceStrategy {
                nonInheriting()
            }
            entries {
                group {
                    name('nationalarchives*tdr-admins')
                    permissions(['Job/Build', 'Job/Cancel', 'Job/Read'])
                }
                group {
                    name('nationalarchives*tdr-developers')
                    permissions(['Job/Build', 'Job/Cancel', 'Job/Read'])
                }
            }
        }
    }
    definition {
        cps {
            script(readFileFromWorkspace('dist/jenkins/pipelines/promote-staging.Jenkinsfile'))
            sandbox(true)
        }
    }
}
pipelineJob('staging/export-api-authoriser/rollback') {
    description('Rolls export-api-authoriser in staging back to its previous successful release')
    parameters {
        choiceParam('SERVICE', ['export-api-authoriser'], 'The service this job releases (fixed for this job)')
    }
    properties {
        authorizationMatrix {
            inheritanceStrategy {
                nonInheriting()
            }
            entries {
                group {
                    name('nationalarchives*tdr-admins')
                    permissions(['Job/Build', 'Job/Cancel', 'Job/Read'])
                }
                group {
                    name('nationalarchives*tdr-developers')
                    permissions(['Job/Build', 'Job/Cancel', 'Job/Read'])
                }
            }
        }
    }
    definition {
        cps {
            script(readFileFromWorkspace('dist/jenkins/pipelines/rollback-staging.Jenkinsfile'))
            sandbox(true)
        }
    }
}
pipelineJob('staging/export-status-update/promote') {
    description('Promotes export-status-update from intg to staging.')
    parameters {
        choiceParam('SERVICE', ['export-status-update'], 'The service this job releases (fixed for this job)')
        stringParam('VERSION', '', 'Release tag, e.g. v42; empty promotes the version live in intg')
    }
    properties {
        authorizationMatrix {
            inheritanceStrategy {
                nonInheriting()
            }
            entries {
                group {
                    name('nationalarchives*tdr-admins')
                    permissions(['Job/Build', 'Job/Cancel', 'Job/Read'])
                }
                group {
                    name('nationalarchives*tdr-developers')
                    permissions(['Job/Build', 'Job/Cancel', 'Job/Read'])
                }
            }
        }
    }
    definition {
        cps {
            script(readFileFromWorkspace('dist/jenkins/pipelines/promote-staging.Jenkinsfile'))
            sandbox(true)
        }
    }
}
pipelineJob('staging/export-status-update/rollback') {
    description('Rolls export-status-update in staging back to its previous successful release')
    parameters {
        choiceParam('SERVICE', ['export-status-update'], 'The service this job releases (fixed for this job)')
    }
    properties {
        authorizationMatrix {
            inheritanceStrategy {
                nonInheriting()
            }
            entries {
                group {
                    name('nationalarchives*tdr-admins')
                    permissions(['Job/Build', 'Job/Cancel', 'Job/Read'])
                }
                group {
                    name('nationalarchives*tdr-developers')
                    permissions(['Job/Build', 'Job/Cancel', 'Job/Read'])
                }
            }
        }
    }
    definition {
        cps {
            script(readFileFromWorkspace('dist/jenkins/pipelines/rollback-staging.Jenkinsfile'))
            sandbox(true)
        }
    }
}
pipelineJob('staging/notifications/promote') {
    description('Promotes notifications from intg to staging.')
    parameters {
        choiceParam('SERVICE', ['notifications'], 'The service this job releases (fixed for this job)')
        stringParam('VERSION', '', 'Release tag, e.g. v42; empty promotes the version live in intg')
    }
    properties {
        authorizationMatrix {
            inheritanceStrategy {
                nonInheriting()
            }
            entries {
                group {
                    name('nationalarchives*tdr-admins')
                    permissions(['Job/Build', 'Job/Cancel', 'Job/Read'])
                }
                group {
                    name('nationalarchives*tdr-developers')
                    permissions(['Job/Build', 'Job/Cancel', 'Job/Read'])
                }
            }
        }
    }
    definition {
        cps {
            script(readFileFromWorkspace('dist/jenkins/pipelines/promote-staging.Jenkinsfile'))
            sandbox(true)
        }
    }
}
pipelineJob('staging/notifications/rollback') {
    description('Rolls notifications in staging back to its previous successful release')
    parameters {
        choiceParam('SERVICE', ['notifications'], 'The service this job releases (fixed for this job)')
    }
    properties {
        authorizationMatrix {
            inheritanceStrategy {
                nonInheriting()
            }
            entries {
                group {
                    name('nationalarchives*tdr-admins')
                    permissions(['Job/Build', 'Job/Cancel', 'Job/Read'])
                }
                group {
                    name('nationalarchives*tdr-developers')
                    permissions(['Job/Build', 'Job/Cancel', 'Job/Read'])
                }
            }
        }
    }
    definition {
        cps {
            script(readFileFromWorkspace('dist/jenkins/pipelines/rollback-staging.Jenkinsfile'))
            sandbox(true)
        }
    }
}
pipelineJob('staging/create-db-users/promote') {
    description('Promotes create-db-users from intg to staging.')
    parameters {
        choiceParam('SERVICE', ['create-db-users'], 'The service this job releases (fixed for this job)')
        stringParam('VERSION', '', 'Release tag, e.g. v42; empty promotes the version live in intg')
    }
    properties {
        authorizationMatrix {
            inheritanceStrategy {
                nonInheriting()
            }
            entries {
                group {
                    name('nationalarchives*tdr-admins')
                    permissions(['Job/Build', 'Job/Cancel', 'Job/Read'])
                }
                group {
                    name('nationalarchives*tdr-developers')
                    permissions(['Job/Build', 'Job/Cancel', 'Job/Read'])
                }
            }
        }
    }
    definition {
        cps {
            script(readFileFromWorkspace('dist/jenkins/pipelines/promote-staging.Jenkinsfile'))
            sandbox(true)
        }
    }
}
pipelineJob('staging/create-db-users/rollback') {
    description('Rolls create-db-users in staging back to its previous successful release')
    parameters {
        choiceParam('SERVICE', ['create-db-users'], 'The service this job releases (fixed for this job)')
    }
    properties {
        authorizationMatrix {
            inheritanceStrategy {
                nonInheriting()
            }
            entries {
                group {
                    name('nationalarchives*tdr-admins')
                    permissions(['Job/Build', 'Job/Cancel', 'Job/Read'])
                }
                group {
                    name('nationalarchives*tdr-developers')
                    permissions(['Job/Build', 'Job/Cancel', 'Job/Read'])
                }
            }
        }
    }
    definition {
        cps {
            script(readFileFromWorkspace('dist/jenkins/pipelines/rollback-staging.Jenkinsfile'))
            sandbox(true)
        }
    }
}
pipelineJob('staging/database-migrations/promote') {
    description('Promotes database-migrations from intg to staging.')
    parameters {
        choiceParam('SERVICE', ['database-migrations'], 'The service this job releases (fixed for this job)')
        stringParam('VERSION', '', 'Release tag, e.g. v42; empty promotes the version live in intg')
    }
    properties {
        authorizationMatrix {
            inheritanceStrategy {
                nonInheriting()
            }
            entries {
                group {
                    name('nationalarchives*tdr-admins')
                    permissions(['Job/Build', 'Job/Cancel', 'Job/Read'])
                }
                group {
                    name('nationalarchives*tdr-developers')
                    permissions(['Job/Build', 'Job/Cancel', 'Job/Read'])
                }
            }
        }
    }
    definition {
        cps {
            script(readFileFromWorkspace('dist/jenkins/pipelines/promote-staging.Jenkinsfile'))
            sandbox(true)
        }
    }
}
pipelineJob('staging/database-migrations/rollback') {
    description('Rolls database-migrations in staging back to its previous successful release')
    parameters {
        choiceParam('SERVICE', ['database-migrations'], 'The service this job releases (fixed for this job)')
    }
    properties {
        authorizationMatrix {
            inheritanceStrategy {
                nonInheriting()
            }
            entries {
                group {
                    name('nationalarchives*tdr-admins')
                    permissions(['Job/Build', 'Job/Cancel', 'Job/Read'])
                }
                group {
                    name('nationalarchives*tdr-developers')
                    permissions(['Job/Build', 'Job/Cancel', 'Job/Read'])
                }
            }
        }
    }
    definition {
        cps {
            script(readFileFromWorkspace('dist/jenkins/pipelines/rollback-staging.Jenkinsfile'))
            sandbox(true)
        }
    }
}
pipelineJob('staging/service-unavailable/promote') {
    description('Promotes service-unavailable from intg to staging.')
    parameters {
        choiceParam('SERVICE', ['service-unavailable'], 'The service this job releases (fixed for this job)')
        stringParam('VERSION', '', 'Release tag, e.g. v42; empty promotes the version live in intg')
    }
    properties {
        authorizationMatrix {
            inheritanceStrategy {
                nonInheriting()
            }
            entries {
                group {
                    name('nationalarchives*tdr-admins')
                    permissions(['Job/Build', 'Job/Cancel', 'Job/Read'])
                }
                group {
                    name('nationalarchives*tdr-developers')
                    permissions(['Job/Build', 'Job/Cancel', 'Job/Read'])
                }
            }
        }
    }
    definition {
        cps {
            script(readFileFromWorkspace('dist/jenkins/pipelines/promote-staging.Jenkinsfile'))
            sandbox(true)
        }
    }
}
pipelineJob('staging/service-unavailable/rollback') {
    description('Rolls service-unavailable in staging back to its previous successful release')
    parameters {
        choiceParam('SERVICE', ['service-unavailable'], 'The service this job releases (fixed for this job)')
    }
    properties {
        authorizationMatrix {
            inheritanceStrategy {
                nonInheriting()
            }
            entries {
                group {
                    name('nationalarchives*tdr-admins')
                    permissions(['Job/Build', 'Job/Cancel', 'Job/Read'])
                }
                group {
                    name('nationalarchives*tdr-developers')
                    permissions(['Job/Build', 'Job/Cancel', 'Job/Read'])
                }
            }
        }
    }
    definition {
        cps {
            script(readFileFromWorkspace('dist/jenkins/pipelines/rollback-staging.Jenkinsfile'))
            sandbox(true)
        }
    }
}
pipelineJob('staging/signed-cookies/promote') {
    description('Promotes signed-cookies from intg to staging.')
    parameters {
        choiceParam('SERVICE', ['signed-cookies'], 'The service this job releases (fixed for this job)')
        stringParam('VERSION', '', 'Release tag, e.g. v42; empty promotes the version live in intg')
    }
    properties {
        authorizationMatrix {
            inheritanceStrategy {
                nonInheriting()
            }
            entries {
                group {
                    name('nationalarchives*tdr-admins')
                    permissions(['Job/Build', 'Job/Cancel', 'Job/Read'])
                }
                group {
                    name('nationalarchives*tdr-developers')
                    permissions(['Job/Build', 'Job/Cancel', 'Job/Read'])
                }
            }
        }
    }
    definition {
        cps {
            script(readFileFromWorkspace('dist/jenkins/pipelines/promote-staging.Jenkinsfile'))
            sandbox(true)
        }
    }
}
pipelineJob('staging/signed-cookies/rollback') {
    description('Rolls signed-cookies in staging back to its previous successful release')
    parameters {
        choiceParam('SERVICE', ['signed-cookies'], 'The service this job releases (fixed for this job)')
    }
    properties {
        authorizationMatrix {
            inheritanceStrategy {
                nonInheriting()
            }
            entries {
                group {
                    name('nationalarchives*tdr-admins')
                    permissions(['Job/Build', 'Job/Cancel', 'Job/Read'])
                }
                group {
                    name('nationalarchives*tdr-developers')
                    permissions(['Job/Build', 'Job/Cancel', 'Job/Read'])
                }
            }
        }
    }
    definition {
        cps {
            script(readFileFromWorkspace('dist/jenkins/pipelines/rollback-staging.Jenkinsfile'))
            sandbox(true)
        }
    }
}
pipelineJob('staging/reporting/promote') {
    description('Promotes reporting from intg to staging.')
    parameters {
        choiceParam('SERVICE', ['reporting'], 'The service this job releases (fixed for this job)')
        stringParam('VERSION', '', 'Release tag, e.g. v42; empty promotes the version live in intg')
    }
    properties {
        authorizationMatrix {
            inheritanceStrategy {
                nonInheriting()
            }
            entries {
                group {
                    name('nationalarchives*tdr-admins')
                    permissions(['Job/Build', 'Job/Cancel', 'Job/Read'])
                }
                group {
                    name('nationalarchives*tdr-developers')
                    permissions(['Job/Build', 'Job/Cancel', 'Job/Read'])
                }
            }
        }
    }
    definition {
        cps {
            script(readFileFromWorkspace('dist/jenkins/pipelines/promote-staging.Jenkinsfile'))
            sandbox(true)
        }
    }
}
pipelineJob('staging/reporting/rollback') {
    description('Rolls reporting in staging back to its previous successful release')
    parameters {
        choiceParam('SERVICE', ['reporting'], 'The service this job releases (fixed for this job)')
    }
    properties {
        authorizationMatrix {
            inheritanceStrategy {
                nonInheriting()
            }
            entries {
                group {
                    name('nationalarchives*tdr-admins')
                    permissions(['Job/Build', 'Job/Cancel', 'Job/Read'])
                }
                group {
                    name('nationalarchives*tdr-developers')
                    permissions(['Job/Build', 'Job/Cancel', 'Job/Read'])
                }
            }
        }
    }
    definition {
        cps {
            script(readFileFromWorkspace('dist/jenkins/pipelines/rollback-staging.Jenkinsfile'))
            sandbox(true)
        }
    }
}
pipelineJob('staging/canary-judge/promote') {
    description('Promotes canary-judge from intg to staging.')
    parameters {
        choiceParam('SERVICE', ['canary-judge'], 'The service this job releases (fixed for this job)')
        stringParam('VERSION', '', 'Release tag, e.g. v42; empty promotes the version live in intg')
    }
    properties {
        authorizationMatrix {
            inheritanceStrategy {
                nonInheriting()
            }
            entries {
                group {
                    name('nationalarchives*tdr-admins')
                    permissions(['Job/Build', 'Job/Cancel', 'Job/Read'])
                }
                group {
                    name('nationalarchives*tdr-developers')
                    permissions(['Job/Build', 'Job/Cancel', 'Job/Read'])
                }
            }
        }
    }
    definition {
        cps {
            script(readFileFromWorkspace('dist/jenkins/pipelines/promote-staging.Jenkinsfile'))
            sandbox(true)
        }
    }
}
pipelineJob('staging/canary-judge/rollback') {
    description('Rolls canary-judge in staging back to its previous successful release')
    parameters {
        choiceParam('SERVICE', ['canary-judge'], 'The service this job releases (fixed for this job)')
    }
    properties {
        authorizationMatrix {
            inheritanceStrategy {
                nonInheriting()
            }
            entries {
                group {
                    name('nationalarchives*tdr-admins')
                    permissions(['Job/Build', 'Job/Cancel', 'Job/Read'])
                }
                group {
                    name('nationalarchives*tdr-developers')
                    permissions(['Job/Build', 'Job/Cancel', 'Job/Read'])
                }
            }
        }
    }
    definition {
        cps {
            script(readFileFromWorkspace('dist/jenkins/pipelines/rollback-staging.Jenkinsfile'))
            sandbox(true)
        }
    }
}
pipelineJob('prod/frontend/promote') {
    description('Promotes frontend from staging to prod; a member of admins approves.')
    parameters {
        choiceParam('SERVICE', ['frontend'], 'The service this job releases (fixed for this job)')
        stringParam('VERSION', '', 'Release tag, e.g. v42; empty promotes the version live in staging')
    }
    properties {
        authorizationMatrix {
            inheritanceStrategy {
                nonInheriting()
            }
            entries {
                group {
                    name('nationalarchives*tdr-admins')
                    permissions(['Job/Build', 'Job/Cancel', 'Job/Read'])
                }
                group {
                    name('nationalarchives*tdr-developers')
                    permissions(['Job/Read'])
                }
            }
        }
    }
    definition {
        cps {
            script(readFileFromWorkspace('dist/jenkins/pipelines/promote-prod.Jenkinsfile'))
            sandbox(true)
        }
    }
}
pipelineJob('prod/frontend/rollback') {
    description('Rolls frontend in prod back to its previous successful release')
    parameters {
        choiceParam('SERVICE', ['frontend'], 'The service this job releases (fixed for this job)')
    }
    properties {
        authorizationMatrix {
            inheritanceStrategy {
                nonInheriting()
            }
            entries {
                group {
                    name('nationalarchives*tdr-admins')
                    permissions(['Job/Build', 'Job/Cancel', 'Job/Read'])
                }
                group {
                    name('nationalarchives*tdr-developers')
                    permissions(['Job/Read'])
                }
            }
        }
    }
    definition {
        cps {
            script(readFileFromWorkspace('dist/jenkins/pipelines/rollback-prod.Jenkinsfile'))
            sandbox(true)
        }
    }
}
pipelineJob('prod/consignmentapi/promote') {
    description('Promotes consignmentapi from staging to prod; a member of admins approves.')
    parameters {
        choiceParam('SERVICE', ['consignmentapi'], 'The service this job releases (fixed for this job)')
        stringParam('VERSION', '', 'Release tag, e.g. v42; empty promotes the version live in staging')
    }
    properties {
        authorizationMatrix {
            inheritanceStrategy {
                nonInheriting()
            }
            entries {
                group {
                    name('nationalarchives*tdr-admins')
                    permissions(['Job/Build', 'Job/Cancel', 'Job/Read'])
                }
                group {
                    name('nationalarchives*tdr-developers')
                    permissions(['Job/Read'])
                }
            }
        }
    }
    definition {
        cps {
            script(readFileFromWorkspace('dist/jenkins/pipelines/promote-prod.Jenkinsfile'))
            sandbox(true)
        }
    }
}
pipelineJob('prod/consignmentapi/rollback') {
    description('Rolls consignmentapi in prod back to its previous successful release')
    parameters {
        choiceParam('SERVICE', ['consignmentapi'], 'The service this job releases (fixed for this job)')
    }
    properties {
        authorizationMatrix {
            inheritanceStrategy {
                nonInheriting()
            }
            entries {
                group {
                    name('nationalarchives*tdr-admins')
                    permissions(['Job/Build', 'Job/Cancel', 'Job/Read'])
                }
                group {
                    name('nationalarchives*tdr-developers')
                    permissions(['Job/Read'])
                }
            }
        }
    }
    definition {
        cps {
            script(readFileFromWorkspace('dist/jenkins/pipelines/rollback-prod.Jenkinsfile'))
            sandbox(true)
        }
    }
}
pipelineJob('prod/keycloak/promote') {
    description('Promotes keycloak from staging to prod; a member of admins approves.')
    parameters {
        choiceParam('SERVICE', ['keycloak'], 'The service this job releases (fixed for this job)')
        stringParam('VERSION', '', 'Release tag, e.g. v42; empty promotes the version live in staging')
    }
    properties {
        authorizationMatrix {
            inheritanceStrategy {
                nonInheriting()
            }
            entries {
                group {
                    name('nationalarchives*tdr-admins')
                    permissions(['Job/Build', 'Job/Cancel', 'Job/Read'])
                }
                group {
                    name('nationalarchives*tdr-developers')
                    permissions(['Job/Read'])
                }
            }
        }
    }
    definition {
        cps {
            script(readFileFromWorkspace('dist/jenkins/pipelines/promote-prod.Jenkinsfile'))
            sandbox(true)
        }
    }
}
pipelineJob('prod/keycloak/rollback') {
    description('Rolls keycloak in prod back to its previous successful release')
    parameters {
        choiceParam('SERVICE', ['keycloak'], 'The service this job releases (fixed for this job)')
    }
    properties {
        authorizationMatrix {
            inheritanceStrategy {
                nonInheriting()
            }
            entries {
                group {
                    name('nationalarchives*tdr-admins')
                    permissions(['Job/Build', 'Job/Cancel', 'Job/Read'])
                }
                group {
                    name('nationalarchives*tdr-developers')
                    permissions(['Job/Read'])
                }
            }
        }
    }
    definition {
        cps {
            script(readFileFromWorkspace('dist/jenkins/pipelines/rollback-prod.Jenkinsfile'))
            sandbox(true)
        }
    }
}
pipelineJob('prod/transferservice/promote') {
    description('Promotes transferservice from staging to prod; a member of admins approves.')
    parameters {
        choiceParam('SERVICE', ['transferservice'], 'The service this job releases (fixed for this job)')
        stringParam('VERSION', '', 'Release tag, e.g. v42; empty promotes the version live in staging')
    }
    properties {
        authorizationMatrix {
            inheritanceStrategy {
                nonInheriting()
            }
            entries {
                group {
                    name('nationalarchives*tdr-admins')
                    permissions(['Job/Build', 'Job/Cancel', 'Job/Read'])
                }
                group {
                    name('nationalarchives*tdr-developers')
                    permissions(['Job/Read'])
                }
            }
        }
    }
    definition {
        cps {
            script(readFileFromWorkspace('dist/jenkins/pipelines/promote-prod.Jenkinsfile'))
            sandbox(true)
        }
    }
}
pipelineJob('prod/transferservice/rollback') {
    description('Rolls transferservice in prod back to its previous successful release')
    parameters {
        choiceParam('SERVICE', ['transferservice'], 'The service this job releases (fixed for this job)')
    }
    properties {
        authorizationMatrix {
            inheritanceStrategy {
                nonInheriting()
            }
            entries {
                group {
                    name('nationalarchives*tdr-admins')
                    permissions(['Job/Build', 'Job/Cancel', 'Job/Read'])
                }
                group {
                    name('nationalarchives*tdr-developers')
                    permissions(['Job/Read'])
                }
            }
        }
    }
    definition {
        cps {
            script(readFileFromWorkspace('dist/jenkins/pipelines/rollback-prod.Jenkinsfile'))
            sandbox(true)
        }
    }
}
pipelineJob('prod/download-files/promote') {
    description('Promotes download-files from staging to prod; a member of admins approves.')
    parameters {
        choiceParam('SERVICE', ['download-files'], 'The service this job releases (fixed for this job)')
        stringParam('VERSION', '', 'Release tag, e.g. v42; empty promotes the version live in staging')
    }
    properties {
        authorizationMatrix {
            inheritanceStrategy {
                nonInheriting()
            }
            entries {
                group {
                    name('nationalarchives*tdr-admins')
                    permissions(['Job/Build', 'Job/Cancel', 'Job/Read'])
                }
                group {
                    name('nationalarchives*tdr-developers')
                    permissions(['Job/Read'])
                }
            }
        }
    }
    definition {
        cps {
            script(readFileFromWorkspace('dist/jenkins/pipelines/promote-prod.Jenkinsfile'))
            sandbox(true)
        }
    }
}
pipelineJob('prod/download-files/rollback') {
    description('Rolls download-files in prod back to its previous successful release')
    parameters {
        choiceParam('SERVICE', ['download-files'], 'The service this job releases (fixed for this job)')
    }
    properties {
        authorizationMatrix {
            inheritanceStrategy {
                nonInheriting()
            }
            entries {
                group {
                    name('nationalarchives*tdr-admins')
                    permissions(['Job/Build', 'Job/Cancel', 'Job/Read'])
                }
                group {
                    name('nationalarchives*tdr-developers')
                    permissions(['Job/Read'])
                }
            }
        }
    }
    definition {
        cps {
            script(readFileFromWorkspace('dist/jenkins/pipelines/rollback-prod.Jenkinsfile'))
            sandbox(true)
        }
    }
}
pipelineJob('prod/antivirus/promote') {
    description('Promotes antivirus from staging to prod; a member of admins approves.')
    parameters {
        choiceParam('SERVICE', ['antivirus'], 'The service this job releases (fixed for this job)')
        stringParam('VERSION', '', 'Release tag, e.g. v42; empty promotes the version live in staging')
    }
    properties {
        authorizationMatrix {
            inheritanceStrategy {
                nonInheriting()
            }
            entries {
                group {
                    name('nationalarchives*tdr-admins')
                    permissions(['Job/Build', 'Job/Cancel', 'Job/Read'])
                }
                group {
                    name('nationalarchives*tdr-developers')
                    permissions(['Job/Read'])
                }
            }
        }
    }
    definition {
        cps {
            script(readFileFromWorkspace('dist/jenkins/pipelines/promote-prod.Jenkinsfile'))
            sandbox(true)
        }
    }
}
pipelineJob('prod/antivirus/rollback') {
    description('Rolls antivirus in prod back to its previous successful release')
    parameters {
        choiceParam('SERVICE', ['antivirus'], 'The service this job releases (fixed for this job)')
    }
    properties {
        authorizationMatrix {
            inheritanceStrategy {
                nonInheriting()
            }
            entries {
                group {
                    name('nationalarchives*tdr-admins')
                    permissions(['Job/Build', 'Job/Cancel', 'Job/Read'])
                }
                group {
                    name('nationalarchives*tdr-developers')
                    permissions(['Job/Read'])
                }
            }
        }
    }
    definition {
        cps {
            script(readFileFromWorkspace('dist/jenkins/pipelines/rollback-prod.Jenkinsfile'))
            sandbox(true)
        }
    }
}
pipelineJob('prod/checksum/promote') {
    description('Promotes checksum from staging to prod; a member of admins approves.')
    parameters {
        choiceParam('SERVICE', ['checksum'], 'The service this job releases (fixed for this job)')
        stringParam('VERSION', '', 'Release tag, e.g. v42; empty promotes the version live in staging')
    }
    properties {
        authorizationMatrix {
            inheritanceStrategy {
                nonInheriting()
            }
            entries {
                group {
                    name('nationalarchives*tdr-admins')
                    permissions(['Job/Build', 'Job/Cancel', 'Job/Read'])
                }
                group {
                    name('nationalarchives*tdr-developers')
                    permissions(['Job/Read'])
                }
            }
        }
    }
    definition {
        cps {
            script(readFileFromWorkspace('dist/jenkins/pipelines/promote-prod.Jenkinsfile'))
            sandbox(true)
        }
    }
}
pipelineJob('prod/checksum/rollback') {
    description('Rolls checksum in prod back to its previous successful release')
    parameters {
        choiceParam('SERVICE', ['checksum'], 'The service this job releases (fixed for this job)')
    }
    properties {
        authorizationMatrix {
            inheritanceStrategy {
                nonInheriting()
            }
            entries {
                group {
                    name('nationalarchives*tdr-admins')
                    permissions(['Job/Build', 'Job/Cancel', 'Job/Read'])
                }
                group {
                    name('nationalarchives*tdr-developers')
                    permissions(['Job/Read'])
                }
            }
        }
    }
    definition {
        cps {
            script(readFileFromWorkspace('dist/jenkins/pipelines/rollback-prod.Jenkinsfile'))
            sandbox(true)
        }
    }
}
pipelineJob('prod/file-format/promote') {
    description('Promotes file-format from staging to prod; a member of admins approves.')
    parameters {
        choiceParam('SERVICE', ['file-format'], 'The service this job releases (fixed for this job)')
        stringParam('VERSION', '', 'Release tag, e.g. v42; empty promotes the version live in staging')
    }
    properties {
        authorizationMatrix {
            inheritanceStrategy {
                nonInheriting()
            }
            entries {
                group {
                    name('nationalarchives*tdr-admins')
                    permissions(['Job/Build', 'Job/Cancel', 'Job/Read'])
                }
                group {
                    name('nationalarchives*tdr-developers')
                    permissions(['Job/Read'])
                }
            }
        }
    }
    definition {
        cps {
            script(readFileFromWorkspace('dist/jenkins/pipelines/promote-prod.Jenkinsfile'))
            sandbox(true)
        }
    }
}
pipelineJob('prod/file-format/rollback') {
    description('Rolls file-format in prod back to its previous successful release')
    parameters {
        choiceParam('SERVICE', ['file-format'], 'The service this job releases (fixed for this job)')
    }
    properties {
        authorizationMatrix {
            inheritanceStrategy {
                nonInheriting()
            }
            entries {
                group {
                    name('nationalarchives*tdr-admins')
                    permissions(['Job/Build', 'Job/Cancel', 'Job/Read'])
                }
                group {
                    name('nationalarchives*tdr-developers')
                    permissions(['Job/Read'])
                }
            }
        }
    }
    definition {
        cps {
            script(readFileFromWorkspace('dist/jenkins/pipelines/rollback-prod.Jenkinsfile'))
            sandbox(true)
        }
    }
}
pipelineJob('prod/api-update/promote') {
    description('Promotes api-update from staging to prod; a member of admins approves.')
    parameters {
        choiceParam('SERVICE', ['api-update'], 'The service this job releases (fixed for this job)')
        stringParam('VERSION', '', 'Release tag, e.g. v42; empty promotes the version live in staging')
    }
    properties {
        authorizationMatrix {
            inheritanceStrategy {
                nonInheriting()
            }
            entries {
                group {
                    name('nationalarchives*tdr-admins')
                    permissions(['Job/Build', 'Job/Cancel', 'Job/Read'])
                }
                group {
                    name('nationalarchives*tdr-developers')
                    permissions(['Job/Read'])
                }
            }
        }
    }
    definition {
        cps {
            script(readFileFromWorkspace('dist/jenkins/pipelines/promote-prod.Jenkinsfile'))
            sandbox(true)
        }
    }
}
pipelineJob('prod/api-update/rollback') {
    description('Rolls api-update in prod back to its previous successful release')
    parameters {
        choiceParam('SERVICE', ['api-update'], 'The service this job releases (fixed for this job)')
    }
    properties {
        authorizationMatrix {
            inheritanceStrategy {
                nonInheriting()
            }
            entries {
                group {
                    name('nationalarchives*tdr-admins')
                    permissions(['Job/Build', 'Job/Cancel', 'Job/Read'])
                }
                group {
                    name('nationalarchives*tdr-developers')
                    permissions(['Job/Read'])
                }
            }
        }
    }
    definition {
        cps {
            script(readFileFromWorkspace('dist/jenkins/pipelines/rollback-prod.Jenkinsfile'))
            sandbox(true)
        }
    }
}
pipelineJob('prod/export-api-authoriser/promote') {
    description('Promotes export-api-authoriser from staging to prod; a member of admins approves.')
    parameters {
        choiceParam('SERVICE', ['export-api-authoriser'], 'The service this job releases (fixed for this job)')
        stringParam('VERSION', '', 'Release tag, e.g. v42; empty promotes the version live in staging')
    }
    properties {
        authorizationMatrix {
            inheritanceStrategy {
                nonInheriting()
            }
            entries {
                group {
                    name('nationalarchives*tdr-admins')
                    permissions(['Job/Build', 'Job/Cancel', 'Job/Read'])
                }
                group {
                    name('nationalarchives*tdr-developers')
                    permissions(['Job/Read'])
                }
            }
        }
    }
    definition {
        cps {
            script(readFileFromWorkspace('dist/jenkins/pipelines/promote-prod.Jenkinsfile'))
            sandbox(true)
        }
    }
}
pipelineJob('prod/export-api-authoriser/rollback') {
    description('Rolls export-api-authoriser in prod back to its previous successful release')
    parameters {
        choiceParam('SERVICE', ['export-api-authoriser'], 'The service this job releases (fixed for this job)')
    }
    properties {
        authorizationMatrix {
            inheritanceStrategy {
                nonInheriting()
            }
            entries {
                group {
                    name('nationalarchives*tdr-admins')
                    permissions(['Job/Build', 'Job/Cancel', 'Job/Read'])
                }
                group {
                    name('nationalarchives*tdr-developers')
                    permissions(['Job/Read'])
                }
            }
        }
    }
    definition {
        cps {
            script(readFileFromWorkspace('dist/jenkins/pipelines/rollback-prod.Jenkinsfile'))
            sandbox(true)
        }
    }
}
pipelineJob('prod/export-status-update/promote') {
    description('Promotes export-status-update from staging to prod; a member of admins approves.')
    parameters {
        choiceParam('SERVICE', ['export-status-update'], 'The service this job releases (fixed for this job)')
        stringParam('VERSION', '', 'Release tag, e.g. v42; empty promotes the version live in staging')
    }
    properties {
        authorizationMatrix {
            inheritanceStrategy {
                nonInheriting()
            }
            entries {
                group {
                    name('nationalarchives*tdr-admins')
                    permissions(['Job/Build', 'Job/Cancel', 'Job/Read'])
                }
                group {
                    name('nationalarchives*tdr-developers')
                    permissions(['Job/Read'])
                }
            }
        }
    }
    definition {
        cps {
            script(readFileFromWorkspace('dist/jenkins/pipelines/promote-prod.Jenkinsfile'))
            sandbox(true)
        }
    }
}
pipelineJob('prod/export-status-update/rollback') {
    description('Rolls export-status-update in prod back to its previous successful release')
    parameters {
        choiceParam('SERVICE', ['export-status-update'], 'The service this job releases (fixed for this job)')
    }
    properties {
        authorizationMatrix {
            inheritanceStrategy {
                nonInheriting()
            }
            entries {
                group {
                    name('nationalarchives*tdr-admins')
                    permissions(['Job/Build', 'Job/Cancel', 'Job/Read'])
                }
                group {
                    name('nationalarchives*tdr-developers')
                    permissions(['Job/Read'])
                }
            }
        }
    }
    definition {
        cps {
            script(readFileFromWorkspace('dist/jenkins/pipelines/rollback-prod.Jenkinsfile'))
            sandbox(true)
        }
    }
}
pipelineJob('prod/notifications/promote') {
    description('Promotes notifications from staging to prod; a member of admins approves.')
    parameters {
        choiceParam('SERVICE', ['notifications'], 'The service this job releases (fixed for this job)')
        stringParam('VERSION', '', 'Release tag, e.g. v42; empty promotes the version live in staging')
    }
    properties {
        authorizationMatrix {
            inheritanceStrategy {
                nonInheriting()
            }
            entries {
                group {
                    name('nationalarchives*tdr-admins')
                    permissions(['Job/Build', 'Job/Cancel', 'Job/Read'])
                }
                group {
                    name('nationalarchives*tdr-developers')
                    permissions(['Job/Read'])
                }
            }
        }
    }
    definition {
        cps {
            script(readFileFromWorkspace('dist/jenkins/pipelines/promote-prod.Jenkinsfile'))
            sandbox(true)
        }
    }
}
pipelineJob('prod/notifications/rollback') {
    description('Rolls notifications in prod back to its previous successful release')
    parameters {
        choiceParam('SERVICE', ['notifications'], 'The service this job releases (fixed for this job)')
    }
    properties {
        authorizationMatrix {
            inheritanceStrategy {
                nonInheriting()
            }
            entries {
                group {
                    name('nationalarchives*tdr-admins')
                    permissions(['Job/Build', 'Job/Cancel', 'Job/Read'])
                }
                group {
                    name('nationalarchives*tdr-developers')
                    permissions(['Job/Read'])
                }
            }
        }
    }
    definition {
        cps {
            script(readFileFromWorkspace('dist/jenkins/pipelines/rollback-prod.Jenkinsfile'))
            sandbox(true)
        }
    }
}
pipelineJob('prod/create-db-users/promote') {
    description('Promotes create-db-users from staging to prod; a member of admins approves.')
    parameters {
        choiceParam('SERVICE', ['create-db-users'], 'The service this job releases (fixed for this job)')
        stringParam('VERSION', '', 'Release tag, e.g. v42; empty promotes the version live in staging')
    }
    properties {
        authorizationMatrix {
            inheritanceStrategy {
                nonInheriting()
            }
            entries {
                group {
                    name('nationalarchives*tdr-admins')
                    permissions(['Job/Build', 'Job/Cancel', 'Job/Read'])
                }
                group {
                    name('nationalarchives*tdr-developers')
                    permissions(['Job/Read'])
                }
            }
        }
    }
    definition {
        cps {
            script(readFileFromWorkspace('dist/jenkins/pipelines/promote-prod.Jenkinsfile'))
            sandbox(true)
        }
    }
}
pipelineJob('prod/create-db-users/rollback') {
    description('Rolls create-db-users in prod back to its previous successful release')
    parameters {
        choiceParam('SERVICE', ['create-db-users'], 'The service this job releases (fixed for this job)')
    }
    properties {
        authorizationMatrix {
            inheritanceStrategy {
                nonInheriting()
            }
            entries {
                group {
                    name('nationalarchives*tdr-admins')
                    permissions(['Job/Build', 'Job/Cancel', 'Job/Read'])
                }
                group {
                    name('nationalarchives*tdr-developers')
                    permissions(['Job/Read'])
                }
            }
        }
    }
    definition {
        cps {
            script(readFileFromWorkspace('dist/jenkins/pipelines/rollback-prod.Jenkinsfile'))
            sandbox(true)
        }
    }
}
pipelineJob('prod/database-migrations/promote') {
    description('Promotes database-migrations from staging to prod; a member of admins approves.')
    parameters {
        choiceParam('SERVICE', ['database-migrations'], 'The service this job releases (fixed for this job)')
        stringParam('VERSION', '', 'Release tag, e.g. v42; empty promotes the version live in staging')
    }
    properties {
        authorizationMatrix {
            inheritanceStrategy {
                nonInheriting()
            }
            entries {
                group {
                    name('nationalarchives*tdr-admins')
                    permissions(['Job/Build', 'Job/Cancel', 'Job/Read'])
                }
                group {
                    name('nationalarchives*tdr-developers')
                    permissions(['Job/Read'])
                }
            }
        }
    }
    definition {
        cps {
            script(readFileFromWorkspace('dist/jenkins/pipelines/promote-prod.Jenkinsfile'))
            sandbox(true)
        }
    }
}
pipelineJob('prod/database-migrations/rollback') {
    description('Rolls database-migrations in prod back to its previous successful release')
    parameters {
        choiceParam('SERVICE', ['database-migrations'], 'The service this job releases (fixed for this job)')
    }
    properties {
        authorizationMatrix {
            inheritanceStrategy {
                nonInheriting()
            }
            entries {
                group {
                    name('nationalarchives*tdr-admins')
                    permissions(['Job/Build', 'Job/Cancel', 'Job/Read'])
                }
                group {
                    name('nationalarchives*tdr-developers')
                    permissions(['Job/Read'])
                }
            }
        }
    }
    definition {
        cps {
            script(readFileFromWorkspace('dist/jenkins/pipelines/rollback-prod.Jenkinsfile'))
            sandbox(true)
        }
    }
}
pipelineJob('prod/service-unavailable/promote') {
    description('Promotes service-unavailable from staging to prod; a member of admins approves.')
    parameters {
        choiceParam('SERVICE', ['service-unavailable'], 'The service this job releases (fixed for this job)')
        stringParam('VERSION', '', 'Release tag, e.g. v42; empty promotes the version live in staging')
    }
    properties {
        authorizationMatrix {
            inheritanceStrategy {
                nonInheriting()
            }
            entries {
                group {
                    name('nationalarchives*tdr-admins')
                    permissions(['Job/Build', 'Job/Cancel', 'Job/Read'])
                }
                group {
                    name('nationalarchives*tdr-developers')
                    permissions(['Job/Read'])
                }
            }
        }
    }
    definition {
        cps {
            script(readFileFromWorkspace('dist/jenkins/pipelines/promote-prod.Jenkinsfile'))
            sandbox(true)
        }
    }
}
pipelineJob('prod/service-unavailable/rollback') {
    description('Rolls service-unavailable in prod back to its previous successful release')
    parameters {
        choiceParam('SERVICE', ['service-unavailable'], 'The service this job releases (fixed for this job)')
    }
    properties {
        authorizationMatrix {
            inheritanceStrategy {
                nonInheriting()
            }
            entries {
                group {
                    name('nationalarchives*tdr-admins')
                    permissions(['Job/Build', 'Job/Cancel', 'Job/Read'])
                }
                group {
                    name('nationalarchives*tdr-developers')
                    permissions(['Job/Read'])
                }
            }
        }
    }
    definition {
        cps {
            script(readFileFromWorkspace('dist/jenkins/pipelines/rollback-prod.Jenkinsfile'))
            sandbox(true)
        }
    }
}
pipelineJob('prod/signed-cookies/promote') {
    description('Promotes signed-cookies from staging to prod; a member of admins approves.')
    parameters {
        choiceParam('SERVICE', ['signed-cookies'], 'The service this job releases (fixed for this job)')
        stringParam('VERSION', '', 'Release tag, e.g. v42; empty promotes the version live in staging')
    }
    properties {
        authorizationMatrix {
            inheritanceStrategy {
                nonInheriting()
            }
            entries {
                group {
                    name('nationalarchives*tdr-admins')
                    permissions(['Job/Build', 'Job/Cancel', 'Job/Read'])
                }
                group {
                    name('nationalarchives*tdr-developers')
                    permissions(['Job/Read'])
                }
            }
        }
    }
    definition {
        cps {
            script(readFileFromWorkspace('dist/jenkins/pipelines/promote-prod.Jenkinsfile'))
            sandbox(true)
        }
    }
}
pipelineJob('prod/signed-cookies/rollback') {
    description('Rolls signed-cookies in prod back to its previous successful release')
    parameters {
        choiceParam('SERVICE', ['signed-cookies'], 'The service this job releases (fixed for this job)')
    }
    properties {
        authorizationMatrix {
            inheritanceStrategy {
                nonInheriting()
            }
            entries {
                group {
                    name('nationalarchives*tdr-admins')
                    permissions(['Job/Build', 'Job/Cancel', 'Job/Read'])
                }
                group {
                    name('nationalarchives*tdr-developers')
                    permissions(['Job/Read'])
                }
            }
        }
    }
    definition {
        cps {
            script(readFileFromWorkspace('dist/jenkins/pipelines/rollback-prod.Jenkinsfile'))
            sandbox(true)
        }
    }
}
pipelineJob('prod/reporting/promote') {
    description('Promotes reporting from staging to prod; a member of admins approves.')
    parameters {
        choiceParam('SERVICE', ['reporting'], 'The service this job releases (fixed for this job)')
        stringParam('VERSION', '', 'Release tag, e.g. v42; empty promotes the version live in staging')
    }
    properties {
        authorizationMatrix {
            inheritanceStrategy {
                nonInheriting()
            }
            entries {
                group {
                    name('nationalarchives*tdr-admins')
                    permissions(['Job/Build', 'Job/Cancel', 'Job/Read'])
                }
                group {
                    name('nationalarchives*tdr-developers')
                    permissions(['Job/Read'])
                }
            }
        }
    }
    definition {
        cps {
            script(readFileFromWorkspace('dist/jenkins/pipelines/promote-prod.Jenkinsfile'))
            sandbox(true)
        }
    }
}
pipelineJob('prod/reporting/rollback') {
    description('Rolls reporting in prod back to its previous successful release')
    parameters {
        choiceParam('SERVICE', ['reporting'], 'The service this job releases (fixed for this job)')
    }
    properties {
        authorizationMatrix {
            inheritanceStrategy {
                nonInheriting()
            }
            entries {
                group {
                    name('nationalarchives*tdr-admins')
                    permissions(['Job/Build', 'Job/Cancel', 'Job/Read'])
                }
                group {
                    name('nationalarchives*tdr-developers')
                    permissions(['Job/Read'])
                }
            }
        }
    }
    definition {
        cps {
            script(readFileFromWorkspace('dist/jenkins/pipelines/rollback-prod.Jenkinsfile'))
            sandbox(true)
        }
    }
}
pipelineJob('prod/canary-judge/promote') {
    description('Promotes canary-judge from staging to prod; a member of admins approves.')
    parameters {
        choiceParam('SERVICE', ['canary-judge'], 'The service this job releases (fixed for this job)')
        stringParam('VERSION', '', 'Release tag, e.g. v42; empty promotes the version live in staging')
    }
    properties {
        authorizationMatrix {
            inheritanceStrategy {
                nonInheriting()
            }
            entries {
                group {
                    name('nationalarchives*tdr-admins')
                    permissions(['Job/Build', 'Job/Cancel', 'Job/Read'])
                }
                group {
                    name('nationalarchives*tdr-developers')
                    permissions(['Job/Read'])
                }
            }
        }
    }
    definition {
        cps {
            script(readFileFromWorkspace('dist/jenkins/pipelines/promote-prod.Jenkinsfile'))
            sandbox(true)
        }
    }
}
pipelineJob('prod/canary-judge/rollback') {
    description('Rolls canary-judge in prod back to its previous successful release')
    parameters {
        choiceParam('SERVICE', ['canary-judge'], 'The service this job releases (fixed for this job)')
    }
    properties {
        authorizationMatrix {
            inheritanceStrategy {
                nonInheriting()
            }
            entries {
                group {
                    name('nationalarchives*tdr-admins')
                    permissions(['Job/Build', 'Job/Cancel', 'Job/Read'])
                }
                group {
                    name('nationalarchives*tdr-developers')
                    permissions(['Job/Read'])
                }
            }
        }
    }
    definition {
        cps {
            script(readFileFromWorkspace('dist/jenkins/pipelines/rollback-prod.Jenkinsfile'))
            sandbox(true)
        }
    }
}
pipelineJob('mgmt/infra/preview') {
    description('pulumi preview of the mgmt stack')
    properties {
        authorizationMatrix {
            inheritanceStrategy {
                nonInheriting()
            }
            entries {
                group {
                    name('nationalarchives*tdr-admins')
                    permissions(['Job/Build', 'Job/Cancel', 'Job/Read'])
                }
                group {
                    name('nationalarchives*tdr-developers')
                    permissions(['Job/Build', 'Job/Cancel', 'Job/Read'])
                }
            }
        }
    }
    definition {
        cps {
            script(readFileFromWorkspace('dist/jenkins/pipelines/infra-preview-mgmt.Jenkinsfile'))
            sandbox(true)
        }
    }
}
pipelineJob('mgmt/infra/apply') {
    description('pulumi up of the mgmt stack: shows the preview, waits for a member of admins, then applies exactly that plan')
    properties {
        authorizationMatrix {
            inheritanceStrategy {
                nonInheriting()
            }
            entries {
                group {
                    name('nationalarchives*tdr-admins')
                    permissions(['Job/Build', 'Job/Cancel', 'Job/Read'])
                }
                group {
                    name('nationalarchives*tdr-developers')
                    permissions(['Job/Read'])
                }
            }
        }
    }
    definition {
        cps {
            script(readFileFromWorkspace('dist/jenkins/pipelines/infra-apply-mgmt.Jenkinsfile'))
            sandbox(true)
        }
    }
}
pipelineJob('sbox/infra/preview') {
    description('pulumi preview of the sbox stack')
    properties {
        authorizationMatrix {
            inheritanceStrategy {
                nonInheriting()
            }
            entries {
                group {
                    name('nationalarchives*tdr-admins')
                    permissions(['Job/Build', 'Job/Cancel', 'Job/Read'])
                }
                group {
                    name('nationalarchives*tdr-developers')
                    permissions(['Job/Build', 'Job/Cancel', 'Job/Read'])
                }
            }
        }
    }
    definition {
        cps {
            script(readFileFromWorkspace('dist/jenkins/pipelines/infra-preview-sbox.Jenkinsfile'))
            sandbox(true)
        }
    }
}
pipelineJob('sbox/infra/apply') {
    description('pulumi up of the sbox stack, applied on every merge to main (exactly the plan it previews)')
    properties {
        authorizationMatrix {
            inheritanceStrategy {
                nonInheriting()
            }
            entries {
                group {
                    name('nationalarchives*tdr-admins')
                    permissions(['Job/Build', 'Job/Cancel', 'Job/Read'])
                }
                group {
                    name('nationalarchives*tdr-developers')
                    permissions(['Job/Build', 'Job/Cancel', 'Job/Read'])
                }
            }
        }
    }
    definition {
        cps {
            script(readFileFromWorkspace('dist/jenkins/pipelines/infra-apply-sbox.Jenkinsfile'))
            sandbox(true)
        }
    }
}
pipelineJob('intg/infra/preview') {
    description('pulumi preview of the intg stack')
    properties {
        authorizationMatrix {
            inheritanceStrategy {
                nonInheriting()
            }
            entries {
                group {
                    name('nationalarchives*tdr-admins')
                    permissions(['Job/Build', 'Job/Cancel', 'Job/Read'])
                }
                group {
                    name('nationalarchives*tdr-developers')
                    permissions(['Job/Build', 'Job/Cancel', 'Job/Read'])
                }
            }
        }
    }
    definition {
        cps {
            script(readFileFromWorkspace('dist/jenkins/pipelines/infra-preview-intg.Jenkinsfile'))
            sandbox(true)
        }
    }
}
pipelineJob('intg/infra/apply') {
    description('pulumi up of the intg stack, applied on every merge to main (exactly the plan it previews)')
    properties {
        authorizationMatrix {
            inheritanceStrategy {
                nonInheriting()
            }
            entries {
                group {
                    name('nationalarchives*tdr-admins')
                    permissions(['Job/Build', 'Job/Cancel', 'Job/Read'])
                }
                group {
                    name('nationalarchives*tdr-developers')
                    permissions(['Job/Build', 'Job/Cancel', 'Job/Read'])
                }
            }
        }
    }
    definition {
        cps {
            script(readFileFromWorkspace('dist/jenkins/pipelines/infra-apply-intg.Jenkinsfile'))
            sandbox(true)
        }
    }
}
pipelineJob('staging/infra/preview') {
    description('pulumi preview of the staging stack')
    properties {
        authorizationMatrix {
            inheritanceStrategy {
                nonInheriting()
            }
            entries {
                group {
                    name('nationalarchives*tdr-admins')
                    permissions(['Job/Build', 'Job/Cancel', 'Job/Read'])
                }
                group {
                    name('nationalarchives*tdr-developers')
                    permissions(['Job/Build', 'Job/Cancel', 'Job/Read'])
                }
            }
        }
    }
    definition {
        cps {
            script(readFileFromWorkspace('dist/jenkins/pipelines/infra-preview-staging.Jenkinsfile'))
            sandbox(true)
        }
    }
}
pipelineJob('staging/infra/apply') {
    description('pulumi up of the staging stack: shows the preview, waits for a member of admins, then applies exactly that plan')
    properties {
        authorizationMatrix {
            inheritanceStrategy {
                nonInheriting()
            }
            entries {
                group {
                    name('nationalarchives*tdr-admins')
                    permissions(['Job/Build', 'Job/Cancel', 'Job/Read'])
                }
                group {
                    name('nationalarchives*tdr-developers')
                    permissions(['Job/Read'])
                }
            }
        }
    }
    definition {
        cps {
            script(readFileFromWorkspace('dist/jenkins/pipelines/infra-apply-staging.Jenkinsfile'))
            sandbox(true)
        }
    }
}
pipelineJob('prod/infra/preview') {
    description('pulumi preview of the prod stack')
    properties {
        authorizationMatrix {
            inheritanceStrategy {
                nonInheriting()
            }
            entries {
                group {
                    name('nationalarchives*tdr-admins')
                    permissions(['Job/Build', 'Job/Cancel', 'Job/Read'])
                }
                group {
                    name('nationalarchives*tdr-developers')
                    permissions(['Job/Read'])
                }
            }
        }
    }
    definition {
        cps {
            script(readFileFromWorkspace('dist/jenkins/pipelines/infra-preview-prod.Jenkinsfile'))
            sandbox(true)
        }
    }
}
pipelineJob('prod/infra/apply') {
    description('pulumi up of the prod stack: shows the preview, waits for a member of admins, then applies exactly that plan')
    properties {
        authorizationMatrix {
            inheritanceStrategy {
                nonInheriting()
            }
            entries {
                group {
                    name('nationalarchives*tdr-admins')
                    permissions(['Job/Build', 'Job/Cancel', 'Job/Read'])
                }
                group {
                    name('nationalarchives*tdr-developers')
                    permissions(['Job/Read'])
                }
            }
        }
    }
    definition {
        cps {
            script(readFileFromWorkspace('dist/jenkins/pipelines/infra-apply-prod.Jenkinsfile'))
            sandbox(true)
        }
    }
}
pipelineJob('intg/run-task') {
    description('Runs a one-off ECS task in intg: database migrations, reference data (series, departments), Keycloak updates')
    parameters {
        choiceParam('TASK', ['consignment-export', 'consignment-api-data', 'keycloak-update'], 'The one-off task to run')
        stringParam('VERSION', '', 'Release tag of the task image, e.g. v42')
        stringParam('CONSIGNMENT_ID', '', 'consignment-export only: The consignment to export (again), e.g. after a failed export; consignmentId (a string matching ^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$, required)')
        booleanParam('UPDATE_POLICY', false, 'keycloak-update only: Whether the update applies the realm’s policies too (the task reads UPDATE_POLICY); updatePolicy (true or false)')
    }
    properties {
        authorizationMatrix {
            inheritanceStrategy {
                nonInheriting()
            }
            entries {
                group {
                    name('nationalarchives*tdr-admins')
                    permissions(['Job/Build', 'Job/Cancel', 'Job/Read'])
                }
                group {
                    name('nationalarchives*tdr-developers')
                    permissions(['Job/Build', 'Job/Cancel', 'Job/Read'])
                }
            }
        }
    }
    definition {
        cps {
            script(readFileFromWorkspace('dist/jenkins/pipelines/run-task-intg.Jenkinsfile'))
            sandbox(true)
        }
    }
}
pipelineJob('staging/run-task') {
    description('Runs a one-off ECS task in staging: database migrations, reference data (series, departments), Keycloak updates')
    parameters {
        choiceParam('TASK', ['consignment-export', 'consignment-api-data', 'keycloak-update'], 'The one-off task to run')
        stringParam('VERSION', '', 'Release tag of the task image, e.g. v42')
        stringParam('CONSIGNMENT_ID', '', 'consignment-export only: The consignment to export (again), e.g. after a failed export; consignmentId (a string matching ^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$, required)')
        booleanParam('UPDATE_POLICY', false, 'keycloak-update only: Whether the update applies the realm’s policies too (the task reads UPDATE_POLICY); updatePolicy (true or false)')
    }
    properties {
        authorizationMatrix {
            inheritanceStrategy {
                nonInheriting()
            }
            entries {
                group {
                    name('nationalarchives*tdr-admins')
                    permissions(['Job/Build', 'Job/Cancel', 'Job/Read'])
                }
                group {
                    name('nationalarchives*tdr-developers')
                    permissions(['Job/Build', 'Job/Cancel', 'Job/Read'])
                }
            }
        }
    }
    definition {
        cps {
            script(readFileFromWorkspace('dist/jenkins/pipelines/run-task-staging.Jenkinsfile'))
            sandbox(true)
        }
    }
}
pipelineJob('prod/run-task') {
    description('Runs a one-off ECS task in prod: database migrations, reference data (series, departments), Keycloak updates')
    parameters {
        choiceParam('TASK', ['consignment-export', 'consignment-api-data', 'keycloak-update'], 'The one-off task to run')
        stringParam('VERSION', '', 'Release tag of the task image, e.g. v42')
        stringParam('CONSIGNMENT_ID', '', 'consignment-export only: The consignment to export (again), e.g. after a failed export; consignmentId (a string matching ^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$, required)')
        booleanParam('UPDATE_POLICY', false, 'keycloak-update only: Whether the update applies the realm’s policies too (the task reads UPDATE_POLICY); updatePolicy (true or false)')
    }
    properties {
        authorizationMatrix {
            inheritanceStrategy {
                nonInheriting()
            }
            entries {
                group {
                    name('nationalarchives*tdr-admins')
                    permissions(['Job/Build', 'Job/Cancel', 'Job/Read'])
                }
                group {
                    name('nationalarchives*tdr-developers')
                    permissions(['Job/Read'])
                }
            }
        }
    }
    definition {
        cps {
            script(readFileFromWorkspace('dist/jenkins/pipelines/run-task-prod.Jenkinsfile'))
            sandbox(true)
        }
    }
}
pipelineJob('intg/maintenance') {
    description('Switches the service-unavailable page on or off in intg: every request gets a 503 with the reason while it is on.')
    parameters {
        choiceParam('SWITCH', ['on', 'off'], 'on: show the service-unavailable page; off: put the listener back as it was')
        stringParam('REASON', '', 'Why, in one line: required to switch on (recorded, and shown on the page); for off, defaults to ending the reason it went on with')
    }
    properties {
        authorizationMatrix {
            inheritanceStrategy {
                nonInheriting()
            }
            entries {
                group {
                    name('nationalarchives*tdr-admins')
                    permissions(['Job/Build', 'Job/Cancel', 'Job/Read'])
                }
                group {
                    name('nationalarchives*tdr-developers')
                    permissions(['Job/Build', 'Job/Cancel', 'Job/Read'])
                }
            }
        }
    }
    definition {
        cps {
            script(readFileFromWorkspace('dist/jenkins/pipelines/maintenance-intg.Jenkinsfile'))
            sandbox(true)
        }
    }
}
pipelineJob('staging/maintenance') {
    description('Switches the service-unavailable page on or off in staging: every request gets a 503 with the reason while it is on.')
    parameters {
        choiceParam('SWITCH', ['on', 'off'], 'on: show the service-unavailable page; off: put the listener back as it was')
        stringParam('REASON', '', 'Why, in one line: required to switch on (recorded, and shown on the page); for off, defaults to ending the reason it went on with')
    }
    properties {
        authorizationMatrix {
            inheritanceStrategy {
                nonInheriting()
            }
            entries {
                group {
                    name('nationalarchives*tdr-admins')
                    permissions(['Job/Build', 'Job/Cancel', 'Job/Read'])
                }
                group {
                    name('nationalarchives*tdr-developers')
                    permissions(['Job/Build', 'Job/Cancel', 'Job/Read'])
                }
            }
        }
    }
    definition {
        cps {
            script(readFileFromWorkspace('dist/jenkins/pipelines/maintenance-staging.Jenkinsfile'))
            sandbox(true)
        }
    }
}
pipelineJob('prod/maintenance') {
    description('Switches the service-unavailable page on or off in prod: every request gets a 503 with the reason while it is on; a member of admins approves.')
    parameters {
        choiceParam('SWITCH', ['on', 'off'], 'on: show the service-unavailable page; off: put the listener back as it was')
        stringParam('REASON', '', 'Why, in one line: required to switch on (recorded, and shown on the page); for off, defaults to ending the reason it went on with')
    }
    properties {
        authorizationMatrix {
            inheritanceStrategy {
                nonInheriting()
            }
            entries {
                group {
                    name('nationalarchives*tdr-admins')
                    permissions(['Job/Build', 'Job/Cancel', 'Job/Read'])
                }
                group {
                    name('nationalarchives*tdr-developers')
                    permissions(['Job/Read'])
                }
            }
        }
    }
    definition {
        cps {
            script(readFileFromWorkspace('dist/jenkins/pipelines/maintenance-prod.Jenkinsfile'))
            sandbox(true)
        }
    }
}
pipelineJob('intg/ledger-adopt') {
    description('Once, after the first stand-up: records what the stand-up started in intg (images tagged initial, v1 packages) as its baseline in the release ledger, where no release is recorded yet; run again, it adopts nothing')
    properties {
        authorizationMatrix {
            inheritanceStrategy {
                nonInheriting()
            }
            entries {
                group {
                    name('nationalarchives*tdr-admins')
                    permissions(['Job/Build', 'Job/Cancel', 'Job/Read'])
                }
                group {
                    name('nationalarchives*tdr-developers')
                    permissions(['Job/Build', 'Job/Cancel', 'Job/Read'])
                }
            }
        }
    }
    definition {
        cps {
            script(readFileFromWorkspace('dist/jenkins/pipelines/ledger-adopt-intg.Jenkinsfile'))
            sandbox(true)
        }
    }
}
pipelineJob('staging/ledger-adopt') {
    description('Once, after the first stand-up: records what the stand-up started in staging (images tagged initial, v1 packages) as its baseline in the release ledger, where no release is recorded yet; run again, it adopts nothing')
    properties {
        authorizationMatrix {
            inheritanceStrategy {
                nonInheriting()
            }
            entries {
                group {
                    name('nationalarchives*tdr-admins')
                    permissions(['Job/Build', 'Job/Cancel', 'Job/Read'])
                }
                group {
                    name('nationalarchives*tdr-developers')
                    permissions(['Job/Build', 'Job/Cancel', 'Job/Read'])
                }
            }
        }
    }
    definition {
        cps {
            script(readFileFromWorkspace('dist/jenkins/pipelines/ledger-adopt-staging.Jenkinsfile'))
            sandbox(true)
        }
    }
}
pipelineJob('prod/ledger-adopt') {
    description('Once, after the first stand-up: records what the stand-up started in prod (images tagged initial, v1 packages) as its baseline in the release ledger, where no release is recorded yet; run again, it adopts nothing')
    properties {
        authorizationMatrix {
            inheritanceStrategy {
                nonInheriting()
            }
            entries {
                group {
                    name('nationalarchives*tdr-admins')
                    permissions(['Job/Build', 'Job/Cancel', 'Job/Read'])
                }
                group {
                    name('nationalarchives*tdr-developers')
                    permissions(['Job/Read'])
                }
            }
        }
    }
    definition {
        cps {
            script(readFileFromWorkspace('dist/jenkins/pipelines/ledger-adopt-prod.Jenkinsfile'))
            sandbox(true)
        }
    }
}
pipelineJob('staging/release-train') {
    description('Promotes what runs in intg and differs from staging as one release train, in dependency order, with a joint rollback.')
    parameters {
        stringParam('TRAIN', '', 'Empty: plan a new train from intg. Or a train id (train- and 16 hex digits) planned before: promote exactly that set, or resume one that stopped')
    }
    properties {
        authorizationMatrix {
            inheritanceStrategy {
                nonInheriting()
            }
            entries {
                group {
                    name('nationalarchives*tdr-admins')
                    permissions(['Job/Build', 'Job/Cancel', 'Job/Read'])
                }
                group {
                    name('nationalarchives*tdr-developers')
                    permissions(['Job/Build', 'Job/Cancel', 'Job/Read'])
                }
            }
        }
    }
    definition {
        cps {
            script(readFileFromWorkspace('dist/jenkins/pipelines/release-train-staging.Jenkinsfile'))
            sandbox(true)
        }
    }
}
pipelineJob('prod/release-train') {
    description('Promotes what runs in staging and differs from prod as one release train, in dependency order, with a joint rollback; one approval by a member of admins covers it.')
    parameters {
        stringParam('TRAIN', '', 'Empty: plan a new train from staging. Or a train id (train- and 16 hex digits) planned before: promote exactly that set, or resume one that stopped')
    }
    properties {
        authorizationMatrix {
            inheritanceStrategy {
                nonInheriting()
            }
            entries {
                group {
                    name('nationalarchives*tdr-admins')
                    permissions(['Job/Build', 'Job/Cancel', 'Job/Read'])
                }
                group {
                    name('nationalarchives*tdr-developers')
                    permissions(['Job/Read'])
                }
            }
        }
    }
    definition {
        cps {
            script(readFileFromWorkspace('dist/jenkins/pipelines/release-train-prod.Jenkinsfile'))
            sandbox(true)
        }
    }
}
pipelineJob('mgmt/seed') {
    description('Recreates every job from pipelines/jenkins: on each controller start and each merge to main')
    properties {
        authorizationMatrix {
            inheritanceStrategy {
                nonInheriting()
            }
            entries {
                group {
                    name('nationalarchives*tdr-admins')
                    permissions(['Job/Build', 'Job/Cancel', 'Job/Read'])
                }
                group {
                    name('nationalarchives*tdr-developers')
                    permissions(['Job/Build', 'Job/Cancel', 'Job/Read'])
                }
            }
        }
    }
    definition {
        cps {
            script(readFileFromWorkspace('dist/jenkins/pipelines/seed.Jenkinsfile'))
            sandbox(true)
        }
    }
}
pipelineJob('mgmt/dashboards') {
    description('Publishes the Grafana dashboards and alerting generated from the catalogue')
    properties {
        authorizationMatrix {
            inheritanceStrategy {
                nonInheriting()
            }
            entries {
                group {
                    name('nationalarchives*tdr-admins')
                    permissions(['Job/Build', 'Job/Cancel', 'Job/Read'])
                }
                group {
                    name('nationalarchives*tdr-developers')
                    permissions(['Job/Build', 'Job/Cancel', 'Job/Read'])
                }
            }
        }
    }
    definition {
        cps {
            script(readFileFromWorkspace('dist/jenkins/pipelines/dashboards.Jenkinsfile'))
            sandbox(true)
        }
    }
}
pipelineJob('mgmt/release-report') {
    description('Every night: the release board (what runs where, what waits to be promoted, delivery metrics), archived and posted to Slack')
    properties {
        authorizationMatrix {
            inheritanceStrategy {
                nonInheriting()
            }
            entries {
                group {
                    name('nationalarchives*tdr-admins')
                    permissions(['Job/Build', 'Job/Cancel', 'Job/Read'])
                }
                group {
                    name('nationalarchives*tdr-developers')
                    permissions(['Job/Build', 'Job/Cancel', 'Job/Read'])
                }
            }
        }
        pipelineTriggers {
            triggers {
                cron {
                    spec('H 6 * * *')
                }
            }
        }
    }
    definition {
        cps {
            script(readFileFromWorkspace('dist/jenkins/pipelines/release-report.Jenkinsfile'))
            sandbox(true)
        }
    }
}
multibranchPipelineJob('mgmt/platform') {
    description('The platform repository: tests, synth, and on main applies intg and reseeds jobs')
    branchSources {
        branchSource {
            source {
                github {
                    id('mgmt-platform')
                    repoOwner('nationalarchives')
                    repository('tdr-platform')
                    repositoryUrl('https://github.com/nationalarchives/tdr-platform')
                    configuredByUrl(false)
                    credentialsId('github')
                    traits {
                        gitHubBranchDiscovery {
                            strategyId(1)
                        }
                        gitHubPullRequestDiscovery {
                            strategyId(1)
                        }
                    }
                }
            }
        }
    }
    factory {
        workflowBranchProjectFactory {
            scriptPath('Jenkinsfile')
        }
    }
    orphanedItemStrategy {
        discardOldItems {
            numToKeep(20)
        }
    }
    properties {
        authorizationMatrix {
            inheritanceStrategy {
                nonInheriting()
            }
            entries {
                group {
                    name('nationalarchives*tdr-admins')
                    permissions(['Job/Build', 'Job/Cancel', 'Job/Read'])
                }
                group {
                    name('nationalarchives*tdr-developers')
                    permissions(['Job/Build', 'Job/Cancel', 'Job/Read'])
                }
            }
        }
    }
}
multibranchPipelineJob('mgmt/build/tdr-transfer-frontend') {
    description('Builds tdr-transfer-frontend (frontend): tests every branch and pull request; a merge to master is tagged, pushed to ECR and deployed')
    branchSources {
        branchSource {
            source {
                github {
                    id('mgmt-build-tdr-transfer-frontend')
                    repoOwner('nationalarchives')
                    repository('tdr-transfer-frontend')
                    repositoryUrl('https://github.com/nationalarchives/tdr-transfer-frontend')
                    configuredByUrl(false)
                    credentialsId('github')
                    traits {
                        gitHubBranchDiscovery {
                            strategyId(1)
                        }
                        gitHubPullRequestDiscovery {
                            strategyId(1)
                        }
                        cloneOptionTrait {
                            extension {
                                shallow(false)
                                noTags(false)
                                reference('')
                                timeout(20)
                                honorRefspec(false)
                            }
                        }
                    }
                }
            }
        }
    }
    factory {
        inlineDefinitionBranchProjectFactory {
            markerFile('Dockerfile')
            script(readFileFromWorkspace('dist/jenkins/pipelines/build.Jenkinsfile'))
            sandbox(true)
        }
    }
    triggers {
        periodicFolderTrigger {
            interval('1d')
        }
    }
    orphanedItemStrategy {
        discardOldItems {
            numToKeep(20)
        }
    }
    properties {
        authorizationMatrix {
            inheritanceStrategy {
                nonInheriting()
            }
            entries {
                group {
                    name('nationalarchives*tdr-admins')
                    permissions(['Job/Build', 'Job/Cancel', 'Job/Read'])
                }
                group {
                    name('nationalarchives*tdr-developers')
                    permissions(['Job/Build', 'Job/Cancel', 'Job/Read'])
                }
            }
        }
    }
}
multibranchPipelineJob('mgmt/build/tdr-consignment-api') {
    description('Builds tdr-consignment-api (consignmentapi): tests every branch and pull request; a merge to master is tagged, pushed to ECR and deployed')
    branchSources {
        branchSource {
            source {
                github {
                    id('mgmt-build-tdr-consignment-api')
                    repoOwner('nationalarchives')
                    repository('tdr-consignment-api')
                    repositoryUrl('https://github.com/nationalarchives/tdr-consignment-api')
                    configuredByUrl(false)
                    credentialsId('github')
                    traits {
                        gitHubBranchDiscovery {
                            strategyId(1)
                        }
                        gitHubPullRequestDiscovery {
                            strategyId(1)
                        }
                        cloneOptionTrait {
                            extension {
                                shallow(false)
                                noTags(false)
                                reference('')
                                timeout(20)
                                honorRefspec(false)
                            }
                        }
                    }
                }
            }
        }
    }
    factory {
        inlineDefinitionBranchProjectFactory {
            markerFile('Dockerfile')
            script(readFileFromWorkspace('dist/jenkins/pipelines/build.Jenkinsfile'))
            sandbox(true)
        }
    }
    triggers {
        periodicFolderTrigger {
            interval('1d')
        }
    }
    orphanedItemStrategy {
        discardOldItems {
            numToKeep(20)
        }
    }
    properties {
        authorizationMatrix {
            inheritanceStrategy {
                nonInheriting()
            }
            entries {
                group {
                    name('nationalarchives*tdr-admins')
                    permissions(['Job/Build', 'Job/Cancel', 'Job/Read'])
                }
                group {
                    name('nationalarchives*tdr-developers')
                    permissions(['Job/Build', 'Job/Cancel', 'Job/Read'])
                }
            }
        }
    }
}
multibranchPipelineJob('mgmt/build/tdr-auth-server') {
    description('Builds tdr-auth-server (keycloak, keycloak-update): tests every branch and pull request; a merge to master is tagged, pushed to ECR and deployed')
    branchSources {
        branchSource {
            source {
                github {
                    id('mgmt-build-tdr-auth-server')
                    repoOwner('nationalarchives')
                    repository('tdr-auth-server')
                    repositoryUrl('https://github.com/nationalarchives/tdr-auth-server')
                    configuredByUrl(false)
                    credentialsId('github')
                    traits {
                        gitHubBranchDiscovery {
                            strategyId(1)
                        }
                        gitHubPullRequestDiscovery {
                            strategyId(1)
                        }
                        cloneOptionTrait {
                            extension {
                                shallow(false)
                                noTags(false)
                                reference('')
                                timeout(20)
                                honorRefspec(false)
                            }
                        }
                    }
                }
            }
        }
    }
    factory {
        inlineDefinitionBranchProjectFactory {
            markerFile('Dockerfile')
            script(readFileFromWorkspace('dist/jenkins/pipelines/build.Jenkinsfile'))
            sandbox(true)
        }
    }
    triggers {
        periodicFolderTrigger {
            interval('1d')
        }
    }
    orphanedItemStrategy {
        discardOldItems {
            numToKeep(20)
        }
    }
    properties {
        authorizationMatrix {
            inheritanceStrategy {
                nonInheriting()
            }
            entries {
                group {
                    name('nationalarchives*tdr-admins')
                    permissions(['Job/Build', 'Job/Cancel', 'Job/Read'])
                }
                group {
                    name('nationalarchives*tdr-developers')
                    permissions(['Job/Build', 'Job/Cancel', 'Job/Read'])
                }
            }
        }
    }
}
multibranchPipelineJob('mgmt/build/tdr-transfer-service') {
    description('Builds tdr-transfer-service (transferservice): tests every branch and pull request; a merge to master is tagged, pushed to ECR and deployed')
    branchSources {
        branchSource {
            source {
                github {
                    id('mgmt-build-tdr-transfer-service')
                    repoOwner('nationalarchives')
                    repository('tdr-transfer-service')
                    repositoryUrl('https://github.com/nationalarchives/tdr-transfer-service')
                    configuredByUrl(false)
                    credentialsId('github')
                    traits {
                        gitHubBranchDiscovery {
                            strategyId(1)
                        }
                        gitHubPullRequestDiscovery {
                            strategyId(1)
                        }
                        cloneOptionTrait {
                            extension {
                                shallow(false)
                                noTags(false)
                                reference('')
                                timeout(20)
                                honorRefspec(false)
                            }
                        }
                    }
                }
            }
        }
    }
    factory {
        inlineDefinitionBranchProjectFactory {
            markerFile('Dockerfile')
            script(readFileFromWorkspace('dist/jenkins/pipelines/build.Jenkinsfile'))
            sandbox(true)
        }
    }
    triggers {
        periodicFolderTrigger {
            interval('1d')
        }
    }
    orphanedItemStrategy {
        discardOldItems {
            numToKeep(20)
        }
    }
    properties {
        authorizationMatrix {
            inheritanceStrategy {
                nonInheriting()
            }
            entries {
                group {
                    name('nationalarchives*tdr-admins')
                    permissions(['Job/Build', 'Job/Cancel', 'Job/Read'])
                }
                group {
                    name('nationalarchives*tdr-developers')
                    permissions(['Job/Build', 'Job/Cancel', 'Job/Read'])
                }
            }
        }
    }
}
multibranchPipelineJob('mgmt/build/tdr-consignment-export') {
    description('Builds tdr-consignment-export (consignment-export): tests every branch and pull request; a merge to master is tagged, pushed to ECR and deployed')
    branchSources {
        branchSource {
            source {
                github {
                    id('mgmt-build-tdr-consignment-export')
                    repoOwner('nationalarchives')
                    repository('tdr-consignment-export')
                    repositoryUrl('https://github.com/nationalarchives/tdr-consignment-export')
                    configuredByUrl(false)
                    credentialsId('github')
                    traits {
                        gitHubBranchDiscovery {
                            strategyId(1)
                        }
                        gitHubPullRequestDiscovery {
                            strategyId(1)
                        }
                        cloneOptionTrait {
                            extension {
                                shallow(false)
                                noTags(false)
                                reference('')
                                timeout(20)
                                honorRefspec(false)
                            }
                        }
                    }
                }
            }
        }
    }
    factory {
        inlineDefinitionBranchProjectFactory {
            markerFile('Dockerfile')
            script(readFileFromWorkspace('dist/jenkins/pipelines/build.Jenkinsfile'))
            sandbox(true)
        }
    }
    triggers {
        periodicFolderTrigger {
            interval('1d')
        }
    }
    orphanedItemStrategy {
        discardOldItems {
            numToKeep(20)
        }
    }
    properties {
        authorizationMatrix {
            inheritanceStrategy {
                nonInheriting()
            }
            entries {
                group {
                    name('nationalarchives*tdr-admins')
                    permissions(['Job/Build', 'Job/Cancel', 'Job/Read'])
                }
                group {
                    name('nationalarchives*tdr-developers')
                    permissions(['Job/Build', 'Job/Cancel', 'Job/Read'])
                }
            }
        }
    }
}
multibranchPipelineJob('mgmt/build/tdr-consignment-api-data') {
    description('Builds tdr-consignment-api-data (consignment-api-data, database-migrations): tests every branch and pull request; a merge to master is tagged, pushed to ECR and deployed')
    branchSources {
        branchSource {
            source {
                github {
                    id('mgmt-build-tdr-consignment-api-data')
                    repoOwner('nationalarchives')
                    repository('tdr-consignment-api-data')
                    repositoryUrl('https://github.com/nationalarchives/tdr-consignment-api-data')
                    configuredByUrl(false)
                    credentialsId('github')
                    traits {
                        gitHubBranchDiscovery {
                            strategyId(1)
                        }
                        gitHubPullRequestDiscovery {
                            strategyId(1)
                        }
                        cloneOptionTrait {
                            extension {
                                shallow(false)
                                noTags(false)
                                reference('')
                                timeout(20)
                                honorRefspec(false)
                            }
                        }
                    }
                }
            }
        }
    }
    factory {
        inlineDefinitionBranchProjectFactory {
            markerFile('Dockerfile')
            script(readFileFromWorkspace('dist/jenkins/pipelines/build.Jenkinsfile'))
            sandbox(true)
        }
    }
    triggers {
        periodicFolderTrigger {
            interval('1d')
        }
    }
    orphanedItemStrategy {
        discardOldItems {
            numToKeep(20)
        }
    }
    properties {
        authorizationMatrix {
            inheritanceStrategy {
                nonInheriting()
            }
            entries {
                group {
                    name('nationalarchives*tdr-admins')
                    permissions(['Job/Build', 'Job/Cancel', 'Job/Read'])
                }
                group {
                    name('nationalarchives*tdr-developers')
                    permissions(['Job/Build', 'Job/Cancel', 'Job/Read'])
                }
            }
        }
    }
}
multibranchPipelineJob('mgmt/build/tdr-download-files') {
    description('Builds tdr-download-files (download-files): tests every branch and pull request; a merge to master is tagged, pushed to ECR and deployed')
    branchSources {
        branchSource {
            source {
                github {
                    id('mgmt-build-tdr-download-files')
                    repoOwner('nationalarchives')
                    repository('tdr-download-files')
                    repositoryUrl('https://github.com/nationalarchives/tdr-download-files')
                    configuredByUrl(false)
                    credentialsId('github')
                    traits {
                        gitHubBranchDiscovery {
                            strategyId(1)
                        }
                        gitHubPullRequestDiscovery {
                            strategyId(1)
                        }
                        cloneOptionTrait {
                            extension {
                                shallow(false)
                                noTags(false)
                                reference('')
                                timeout(20)
                                honorRefspec(false)
                            }
                        }
                    }
                }
            }
        }
    }
    factory {
        inlineDefinitionBranchProjectFactory {
            markerFile('build.sbt')
            script(readFileFromWorkspace('dist/jenkins/pipelines/build.Jenkinsfile'))
            sandbox(true)
        }
    }
    triggers {
        periodicFolderTrigger {
            interval('1d')
        }
    }
    orphanedItemStrategy {
        discardOldItems {
            numToKeep(20)
        }
    }
    properties {
        authorizationMatrix {
            inheritanceStrategy {
                nonInheriting()
            }
            entries {
                group {
                    name('nationalarchives*tdr-admins')
                    permissions(['Job/Build', 'Job/Cancel', 'Job/Read'])
                }
                group {
                    name('nationalarchives*tdr-developers')
                    permissions(['Job/Build', 'Job/Cancel', 'Job/Read'])
                }
            }
        }
    }
}
multibranchPipelineJob('mgmt/build/tdr-antivirus') {
    description('Builds tdr-antivirus (antivirus): tests every branch and pull request; a merge to master is tagged, pushed to ECR and deployed')
    branchSources {
        branchSource {
            source {
                github {
                    id('mgmt-build-tdr-antivirus')
                    repoOwner('nationalarchives')
                    repository('tdr-antivirus')
                    repositoryUrl('https://github.com/nationalarchives/tdr-antivirus')
                    configuredByUrl(false)
                    credentialsId('github')
                    traits {
                        gitHubBranchDiscovery {
                            strategyId(1)
                        }
                        gitHubPullRequestDiscovery {
                            strategyId(1)
                        }
                        cloneOptionTrait {
                            extension {
                                shallow(false)
                                noTags(false)
                                reference('')
                                timeout(20)
                                honorRefspec(false)
                            }
                        }
                    }
                }
            }
        }
    }
    factory {
        inlineDefinitionBranchProjectFactory {
            markerFile('requirements.txt')
            script(readFileFromWorkspace('dist/jenkins/pipelines/build.Jenkinsfile'))
            sandbox(true)
        }
    }
    triggers {
        periodicFolderTrigger {
            interval('1d')
        }
    }
    orphanedItemStrategy {
        discardOldItems {
            numToKeep(20)
        }
    }
    properties {
        authorizationMatrix {
            inheritanceStrategy {
                nonInheriting()
            }
            entries {
                group {
                    name('nationalarchives*tdr-admins')
                    permissions(['Job/Build', 'Job/Cancel', 'Job/Read'])
                }
                group {
                    name('nationalarchives*tdr-developers')
                    permissions(['Job/Build', 'Job/Cancel', 'Job/Read'])
                }
            }
        }
    }
}
multibranchPipelineJob('mgmt/build/tdr-checksum') {
    description('Builds tdr-checksum (checksum): tests every branch and pull request; a merge to master is tagged, pushed to ECR and deployed')
    branchSources {
        branchSource {
            source {
                github {
                    id('mgmt-build-tdr-checksum')
                    repoOwner('nationalarchives')
                    repository('tdr-checksum')
                    repositoryUrl('https://github.com/nationalarchives/tdr-checksum')
                    configuredByUrl(false)
                    credentialsId('github')
                    traits {
                        gitHubBranchDiscovery {
                            strategyId(1)
                        }
                        gitHubPullRequestDiscovery {
                            strategyId(1)
                        }
                        cloneOptionTrait {
                            extension {
                                shallow(false)
                                noTags(false)
                                reference('')
                                timeout(20)
                                honorRefspec(false)
                            }
                        }
                    }
                }
            }
        }
    }
    factory {
        inlineDefinitionBranchProjectFactory {
            markerFile('build.sbt')
            script(readFileFromWorkspace('dist/jenkins/pipelines/build.Jenkinsfile'))
            sandbox(true)
        }
    }
    triggers {
        periodicFolderTrigger {
            interval('1d')
        }
    }
    orphanedItemStrategy {
        discardOldItems {
            numToKeep(20)
        }
    }
    properties {
        authorizationMatrix {
            inheritanceStrategy {
                nonInheriting()
            }
            entries {
                group {
                    name('nationalarchives*tdr-admins')
                    permissions(['Job/Build', 'Job/Cancel', 'Job/Read'])
                }
                group {
                    name('nationalarchives*tdr-developers')
                    permissions(['Job/Build', 'Job/Cancel', 'Job/Read'])
                }
            }
        }
    }
}
multibranchPipelineJob('mgmt/build/tdr-file-format') {
    description('Builds tdr-file-format (file-format): tests every branch and pull request; a merge to master is tagged, pushed to ECR and deployed')
    branchSources {
        branchSource {
            source {
                github {
                    id('mgmt-build-tdr-file-format')
                    repoOwner('nationalarchives')
                    repository('tdr-file-format')
                    repositoryUrl('https://github.com/nationalarchives/tdr-file-format')
                    configuredByUrl(false)
                    credentialsId('github')
                    traits {
                        gitHubBranchDiscovery {
                            strategyId(1)
                        }
                        gitHubPullRequestDiscovery {
                            strategyId(1)
                        }
                        cloneOptionTrait {
                            extension {
                                shallow(false)
                                noTags(false)
                                reference('')
                                timeout(20)
                                honorRefspec(false)
                            }
                        }
                    }
                }
            }
        }
    }
    factory {
        inlineDefinitionBranchProjectFactory {
            markerFile('build.sbt')
            script(readFileFromWorkspace('dist/jenkins/pipelines/build.Jenkinsfile'))
            sandbox(true)
        }
    }
    triggers {
        periodicFolderTrigger {
            interval('1d')
        }
    }
    orphanedItemStrategy {
        discardOldItems {
            numToKeep(20)
        }
    }
    properties {
        authorizationMatrix {
            inheritanceStrategy {
                nonInheriting()
            }
            entries {
                group {
                    name('nationalarchives*tdr-admins')
                    permissions(['Job/Build', 'Job/Cancel', 'Job/Read'])
                }
                group {
                    name('nationalarchives*tdr-developers')
                    permissions(['Job/Build', 'Job/Cancel', 'Job/Read'])
                }
            }
        }
    }
}
multibranchPipelineJob('mgmt/build/tdr-api-update') {
    description('Builds tdr-api-update (api-update): tests every branch and pull request; a merge to master is tagged, pushed to ECR and deployed')
    branchSources {
        branchSource {
            source {
                github {
                    id('mgmt-build-tdr-api-update')
                    repoOwner('nationalarchives')
                    repository('tdr-api-update')
                    repositoryUrl('https://github.com/nationalarchives/tdr-api-update')
                    configuredByUrl(false)
                    credentialsId('github')
                    traits {
                        gitHubBranchDiscovery {
                            strategyId(1)
                        }
                        gitHubPullRequestDiscovery {
                            strategyId(1)
                        }
                        cloneOptionTrait {
                            extension {
                                shallow(false)
                                noTags(false)
                                reference('')
                                timeout(20)
                                honorRefspec(false)
                            }
                        }
                    }
                }
            }
        }
    }
    factory {
        inlineDefinitionBranchProjectFactory {
            markerFile('build.sbt')
            script(readFileFromWorkspace('dist/jenkins/pipelines/build.Jenkinsfile'))
            sandbox(true)
        }
    }
    triggers {
        periodicFolderTrigger {
            interval('1d')
        }
    }
    orphanedItemStrategy {
        discardOldItems {
            numToKeep(20)
        }
    }
    properties {
        authorizationMatrix {
            inheritanceStrategy {
                nonInheriting()
            }
            entries {
                group {
                    name('nationalarchives*tdr-admins')
                    permissions(['Job/Build', 'Job/Cancel', 'Job/Read'])
                }
                group {
                    name('nationalarchives*tdr-developers')
                    permissions(['Job/Build', 'Job/Cancel', 'Job/Read'])
                }
            }
        }
    }
}
multibranchPipelineJob('mgmt/build/tdr-consignment-export-authoriser') {
    description('Builds tdr-consignment-export-authoriser (export-api-authoriser): tests every branch and pull request; a merge to master is tagged, pushed to ECR and deployed')
    branchSources {
        branchSource {
            source {
                github {
                    id('mgmt-build-tdr-consignment-export-authoriser')
                    repoOwner('nationalarchives')
                    repository('tdr-consignment-export-authoriser')
                    repositoryUrl('https://github.com/nationalarchives/tdr-consignment-export-authoriser')
                    configuredByUrl(false)
                    credentialsId('github')
                    traits {
                        gitHubBranchDiscovery {
                            strategyId(1)
                        }
                        gitHubPullRequestDiscovery {
                            strategyId(1)
                        }
                        cloneOptionTrait {
                            extension {
                                shallow(false)
                                noTags(false)
                                reference('')
                                timeout(20)
                                honorRefspec(false)
                            }
                        }
                    }
                }
            }
        }
    }
    factory {
        inlineDefinitionBranchProjectFactory {
            markerFile('build.sbt')
            script(readFileFromWorkspace('dist/jenkins/pipelines/build.Jenkinsfile'))
            sandbox(true)
        }
    }
    triggers {
        periodicFolderTrigger {
            interval('1d')
        }
    }
    orphanedItemStrategy {
        discardOldItems {
            numToKeep(20)
        }
    }
    properties {
        authorizationMatrix {
            inheritanceStrategy {
                nonInheriting()
            }
            entries {
                group {
                    name('nationalarchives*tdr-admins')
                    permissions(['Job/Build', 'Job/Cancel', 'Job/Read'])
                }
                group {
                    name('nationalarchives*tdr-developers')
                    permissions(['Job/Build', 'Job/Cancel', 'Job/Read'])
                }
            }
        }
    }
}
multibranchPipelineJob('mgmt/build/tdr-export-status-update') {
    description('Builds tdr-export-status-update (export-status-update): tests every branch and pull request; a merge to master is tagged, pushed to ECR and deployed')
    branchSources {
        branchSource {
            source {
                github {
                    id('mgmt-build-tdr-export-status-update')
                    repoOwner('nationalarchives')
                    repository('tdr-export-status-update')
                    repositoryUrl('https://github.com/nationalarchives/tdr-export-status-update')
                    configuredByUrl(false)
                    credentialsId('github')
                    traits {
                        gitHubBranchDiscovery {
                            strategyId(1)
                        }
                        gitHubPullRequestDiscovery {
                            strategyId(1)
                        }
                        cloneOptionTrait {
                            extension {
                                shallow(false)
                                noTags(false)
                                reference('')
                                timeout(20)
                                honorRefspec(false)
                            }
                        }
                    }
                }
            }
        }
    }
    factory {
        inlineDefinitionBranchProjectFactory {
            markerFile('build.sbt')
            script(readFileFromWorkspace('dist/jenkins/pipelines/build.Jenkinsfile'))
            sandbox(true)
        }
    }
    triggers {
        periodicFolderTrigger {
            interval('1d')
        }
    }
    orphanedItemStrategy {
        discardOldItems {
            numToKeep(20)
        }
    }
    properties {
        authorizationMatrix {
            inheritanceStrategy {
                nonInheriting()
            }
            entries {
                group {
                    name('nationalarchives*tdr-admins')
                    permissions(['Job/Build', 'Job/Cancel', 'Job/Read'])
                }
                group {
                    name('nationalarchives*tdr-developers')
                    permissions(['Job/Build', 'Job/Cancel', 'Job/Read'])
                }
            }
        }
    }
}
multibranchPipelineJob('mgmt/build/tdr-notifications') {
    description('Builds tdr-notifications (notifications): tests every branch and pull request; a merge to master is tagged, pushed to ECR and deployed')
    branchSources {
        branchSource {
            source {
                github {
                    id('mgmt-build-tdr-notifications')
                    repoOwner('nationalarchives')
                    repository('tdr-notifications')
                    repositoryUrl('https://github.com/nationalarchives/tdr-notifications')
                    configuredByUrl(false)
                    credentialsId('github')
                    traits {
                        gitHubBranchDiscovery {
                            strategyId(1)
                        }
                        gitHubPullRequestDiscovery {
                            strategyId(1)
                        }
                        cloneOptionTrait {
                            extension {
                                shallow(false)
                                noTags(false)
                                reference('')
                                timeout(20)
                                honorRefspec(false)
                            }
                        }
                    }
                }
            }
        }
    }
    factory {
        inlineDefinitionBranchProjectFactory {
            markerFile('build.sbt')
            script(readFileFromWorkspace('dist/jenkins/pipelines/build.Jenkinsfile'))
            sandbox(true)
        }
    }
    triggers {
        periodicFolderTrigger {
            interval('1d')
        }
    }
    orphanedItemStrategy {
        discardOldItems {
            numToKeep(20)
        }
    }
    properties {
        authorizationMatrix {
            inheritanceStrategy {
                nonInheriting()
            }
            entries {
                group {
                    name('nationalarchives*tdr-admins')
                    permissions(['Job/Build', 'Job/Cancel', 'Job/Read'])
                }
                group {
                    name('nationalarchives*tdr-developers')
                    permissions(['Job/Build', 'Job/Cancel', 'Job/Read'])
                }
            }
        }
    }
}
multibranchPipelineJob('mgmt/build/tdr-create-db-users') {
    description('Builds tdr-create-db-users (create-db-users): tests every branch and pull request; a merge to master is tagged, pushed to ECR and deployed')
    branchSources {
        branchSource {
            source {
                github {
                    id('mgmt-build-tdr-create-db-users')
                    repoOwner('nationalarchives')
                    repository('tdr-create-db-users')
                    repositoryUrl('https://github.com/nationalarchives/tdr-create-db-users')
                    configuredByUrl(false)
                    credentialsId('github')
                    traits {
                        gitHubBranchDiscovery {
                            strategyId(1)
                        }
                        gitHubPullRequestDiscovery {
                            strategyId(1)
                        }
                        cloneOptionTrait {
                            extension {
                                shallow(false)
                                noTags(false)
                                reference('')
                                timeout(20)
                                honorRefspec(false)
                            }
                        }
                    }
                }
            }
        }
    }
    factory {
        inlineDefinitionBranchProjectFactory {
            markerFile('build.sbt')
            script(readFileFromWorkspace('dist/jenkins/pipelines/build.Jenkinsfile'))
            sandbox(true)
        }
    }
    triggers {
        periodicFolderTrigger {
            interval('1d')
        }
    }
    orphanedItemStrategy {
        discardOldItems {
            numToKeep(20)
        }
    }
    properties {
        authorizationMatrix {
            inheritanceStrategy {
                nonInheriting()
            }
            entries {
                group {
                    name('nationalarchives*tdr-admins')
                    permissions(['Job/Build', 'Job/Cancel', 'Job/Read'])
                }
                group {
                    name('nationalarchives*tdr-developers')
                    permissions(['Job/Build', 'Job/Cancel', 'Job/Read'])
                }
            }
        }
    }
}
multibranchPipelineJob('mgmt/build/tdr-service-unavailable') {
    description('Builds tdr-service-unavailable (service-unavailable): tests every branch and pull request; a merge to master is tagged, pushed to ECR and deployed')
    branchSources {
        branchSource {
            source {
                github {
                    id('mgmt-build-tdr-service-unavailable')
                    repoOwner('nationalarchives')
                    repository('tdr-service-unavailable')
                    repositoryUrl('https://github.com/nationalarchives/tdr-service-unavailable')
                    configuredByUrl(false)
                    credentialsId('github')
                    traits {
                        gitHubBranchDiscovery {
                            strategyId(1)
                        }
                        gitHubPullRequestDiscovery {
                            strategyId(1)
                        }
                        cloneOptionTrait {
                            extension {
                                shallow(false)
                                noTags(false)
                                reference('')
                                timeout(20)
                                honorRefspec(false)
                            }
                        }
                    }
                }
            }
        }
    }
    factory {
        inlineDefinitionBranchProjectFactory {
            markerFile('requirements.txt')
            script(readFileFromWorkspace('dist/jenkins/pipelines/build.Jenkinsfile'))
            sandbox(true)
        }
    }
    triggers {
        periodicFolderTrigger {
            interval('1d')
        }
    }
    orphanedItemStrategy {
        discardOldItems {
            numToKeep(20)
        }
    }
    properties {
        authorizationMatrix {
            inheritanceStrategy {
                nonInheriting()
            }
            entries {
                group {
                    name('nationalarchives*tdr-admins')
                    permissions(['Job/Build', 'Job/Cancel', 'Job/Read'])
                }
                group {
                    name('nationalarchives*tdr-developers')
                    permissions(['Job/Build', 'Job/Cancel', 'Job/Read'])
                }
            }
        }
    }
}
multibranchPipelineJob('mgmt/build/tdr-signed-cookies') {
    description('Builds tdr-signed-cookies (signed-cookies): tests every branch and pull request; a merge to master is tagged, pushed to ECR and deployed')
    branchSources {
        branchSource {
            source {
                github {
                    id('mgmt-build-tdr-signed-cookies')
                    repoOwner('nationalarchives')
                    repository('tdr-signed-cookies')
                    repositoryUrl('https://github.com/nationalarchives/tdr-signed-cookies')
                    configuredByUrl(false)
                    credentialsId('github')
                    traits {
                        gitHubBranchDiscovery {
                            strategyId(1)
                        }
                        gitHubPullRequestDiscovery {
                            strategyId(1)
                        }
                        cloneOptionTrait {
                            extension {
                                shallow(false)
                                noTags(false)
                                reference('')
                                timeout(20)
                                honorRefspec(false)
                            }
                        }
                    }
                }
            }
        }
    }
    factory {
        inlineDefinitionBranchProjectFactory {
            markerFile('build.sbt')
            script(readFileFromWorkspace('dist/jenkins/pipelines/build.Jenkinsfile'))
            sandbox(true)
        }
    }
    triggers {
        periodicFolderTrigger {
            interval('1d')
        }
    }
    orphanedItemStrategy {
        discardOldItems {
            numToKeep(20)
        }
    }
    properties {
        authorizationMatrix {
            inheritanceStrategy {
                nonInheriting()
            }
            entries {
                group {
                    name('nationalarchives*tdr-admins')
                    permissions(['Job/Build', 'Job/Cancel', 'Job/Read'])
                }
                group {
                    name('nationalarchives*tdr-developers')
                    permissions(['Job/Build', 'Job/Cancel', 'Job/Read'])
                }
            }
        }
    }
}
multibranchPipelineJob('mgmt/build/tdr-reporting') {
    description('Builds tdr-reporting (reporting): tests every branch and pull request; a merge to master is tagged, pushed to ECR and deployed')
    branchSources {
        branchSource {
            source {
                github {
                    id('mgmt-build-tdr-reporting')
                    repoOwner('nationalarchives')
                    repository('tdr-reporting')
                    repositoryUrl('https://github.com/nationalarchives/tdr-reporting')
                    configuredByUrl(false)
                    credentialsId('github')
                    traits {
                        gitHubBranchDiscovery {
                            strategyId(1)
                        }
                        gitHubPullRequestDiscovery {
                            strategyId(1)
                        }
                        cloneOptionTrait {
                            extension {
                                shallow(false)
                                noTags(false)
                                reference('')
                                timeout(20)
                                honorRefspec(false)
                            }
                        }
                    }
                }
            }
        }
    }
    factory {
        inlineDefinitionBranchProjectFactory {
            markerFile('requirements.txt')
            script(readFileFromWorkspace('dist/jenkins/pipelines/build.Jenkinsfile'))
            sandbox(true)
        }
    }
    triggers {
        periodicFolderTrigger {
            interval('1d')
        }
    }
    orphanedItemStrategy {
        discardOldItems {
            numToKeep(20)
        }
    }
    properties {
        authorizationMatrix {
            inheritanceStrategy {
                nonInheriting()
            }
            entries {
                group {
                    name('nationalarchives*tdr-admins')
                    permissions(['Job/Build', 'Job/Cancel', 'Job/Read'])
                }
                group {
                    name('nationalarchives*tdr-developers')
                    permissions(['Job/Build', 'Job/Cancel', 'Job/Read'])
                }
            }
        }
    }
}
multibranchPipelineJob('mgmt/build/tdr-platform') {
    description('Builds tdr-platform (canary-judge): tests every branch and pull request; a merge to main is tagged, pushed to ECR and deployed')
    branchSources {
        branchSource {
            source {
                github {
                    id('mgmt-build-tdr-platform')
                    repoOwner('nationalarchives')
                    repository('tdr-platform')
                    repositoryUrl('https://github.com/nationalarchives/tdr-platform')
                    configuredByUrl(false)
                    credentialsId('github')
                    traits {
                        gitHubBranchDiscovery {
                            strategyId(1)
                        }
                        gitHubPullRequestDiscovery {
                            strategyId(1)
                        }
                        cloneOptionTrait {
                            extension {
                                shallow(false)
                                noTags(false)
                                reference('')
                                timeout(20)
                                honorRefspec(false)
                            }
                        }
                    }
                }
            }
        }
    }
    factory {
        inlineDefinitionBranchProjectFactory {
            markerFile('package.json')
            script(readFileFromWorkspace('dist/jenkins/pipelines/build.Jenkinsfile'))
            sandbox(true)
        }
    }
    triggers {
        periodicFolderTrigger {
            interval('1d')
        }
    }
    orphanedItemStrategy {
        discardOldItems {
            numToKeep(20)
        }
    }
    properties {
        authorizationMatrix {
            inheritanceStrategy {
                nonInheriting()
            }
            entries {
                group {
                    name('nationalarchives*tdr-admins')
                    permissions(['Job/Build', 'Job/Cancel', 'Job/Read'])
                }
                group {
                    name('nationalarchives*tdr-developers')
                    permissions(['Job/Build', 'Job/Cancel', 'Job/Read'])
                }
            }
        }
    }
}
pipelineJob('mgmt/agent-image') {
    description('Builds the agent images (tdr at TDR_VERSION, Node, Pulumi; build tools for ecs-mgmt-build; npm test\'s packages for ecs-mgmt-platform) and Kaniko\'s own image into mgmt\'s ECR; pin the result in settings.tdrVersion')
    parameters {
        stringParam('TDR_VERSION', '', 'The platform release (git tag, e.g. v12) to install as tdr')
    }
    properties {
        authorizationMatrix {
            inheritanceStrategy {
                nonInheriting()
            }
            entries {
                group {
                    name('nationalarchives*tdr-admins')
                    permissions(['Job/Build', 'Job/Cancel', 'Job/Read'])
                }
                group {
                    name('nationalarchives*tdr-developers')
                    permissions(['Job/Read'])
                }
            }
        }
    }
    definition {
        cps {
            script(readFileFromWorkspace('dist/jenkins/pipelines/agent-image.Jenkinsfile'))
            sandbox(true)
        }
    }
}
