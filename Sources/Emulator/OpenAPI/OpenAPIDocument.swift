/// The OpenAPI 3 description of the HTTP API, served at `GET /openapi.yaml`.
///
/// Generated from the repository's `openapi.yaml` by `scripts/generate-openapi-swift.py`: embedded so the binary
/// serves it wherever it runs (a container has no checkout). A test fails when the two differ.
enum OpenAPIDocument {
    static let path = "/openapi.yaml"
    static let contentType = "application/yaml"
    static let text = #"""
        openapi: 3.0.3
        info:
          title: RideEase
          version: "1"
          description: >-
            The HTTP API of the RideEase function bundle (functions.yaml) plus the host's built-in endpoints.
            Every error is JSON: {"error":{"code":"invalid_argument","message":"..."}}. Admin operations need the
            x-api-key header; without a configured key they answer 503 (admin API disabled).
        servers:
          - url: /
        tags:
          - name: serving
          - name: admin
          - name: built-in
        paths:
          /healthz:
            get:
              tags: [serving]
              operationId: healthz
              summary: Liveness, uptime and readiness (a model is loaded)
              parameters:
                - name: probe
                  in: query
                  required: false
                  description: "ready: answer 503 until every variant has a model loaded (startup probe)"
                  schema:
                    type: string
              responses:
                "200":
                  description: Alive; `ready` tells whether every variant has a model
                  content:
                    application/json:
                      schema:
                        $ref: "#/components/schemas/Health"
                "503":
                  description: Not ready yet (probe=ready only)
                  content:
                    application/json:
                      schema:
                        $ref: "#/components/schemas/Health"
                "504":
                  $ref: "#/components/responses/DeadlineExceeded"
          /metrics:
            get:
              tags: [built-in]
              operationId: metrics
              summary: Prometheus exposition
              responses:
                "200":
                  description: Metrics in the Prometheus text format
                  content:
                    text/plain:
                      schema:
                        type: string
          /openapi.yaml:
            get:
              tags: [built-in]
              operationId: openapi
              summary: This document
              responses:
                "200":
                  description: The OpenAPI description of this API
                  content:
                    application/yaml:
                      schema:
                        type: string
          /recommendations:
            post:
              tags: [serving]
              operationId: recommend
              summary: Top-k destinations for a rider, A/B variant assigned by user-id hash
              description: >-
                Served from the active experiment. A/B: the model of the rider's variant (riders outside coverage, and
                everyone once the experiment stopped, get one variant and are not counted). Interleaving: one list
                team-drafted from the control's and the treatment's lists; `variant` is `interleaved`, every item carries
                the `arm` that placed it, and `interleaving` names the first pick and both versions.
              requestBody:
                required: true
                content:
                  application/json:
                    schema:
                      $ref: "#/components/schemas/RecommendationRequest"
              responses:
                "200":
                  description: Recommendations and the request id of their trace
                  content:
                    application/json:
                      schema:
                        $ref: "#/components/schemas/Recommendations"
                "400":
                  $ref: "#/components/responses/InvalidArgument"
                "413":
                  $ref: "#/components/responses/PayloadTooLarge"
                "503":
                  $ref: "#/components/responses/Unavailable"
                "504":
                  $ref: "#/components/responses/DeadlineExceeded"
          /traces/{requestId}:
            get:
              tags: [serving]
              operationId: getTrace
              summary: Provenance of one prediction, by request id (the viewer key or the admin key)
              security:
                - viewerKey: []
                - adminKey: []
              parameters:
                - name: requestId
                  in: path
                  required: true
                  description: The UUIDv7 requestId returned by POST /recommendations
                  schema:
                    type: string
                    pattern: "^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-7[0-9a-fA-F]{3}-[89abAB][0-9a-fA-F]{3}-[0-9a-fA-F]{12}$"
              responses:
                "200":
                  description: The trace
                  content:
                    application/json:
                      schema:
                        $ref: "#/components/schemas/Trace"
                "400":
                  $ref: "#/components/responses/InvalidArgument"
                "401":
                  $ref: "#/components/responses/Unauthenticated"
                "404":
                  $ref: "#/components/responses/NotFound"
                "503":
                  $ref: "#/components/responses/Unavailable"
                "504":
                  $ref: "#/components/responses/DeadlineExceeded"
          /events:
            post:
              tags: [serving]
              operationId: ingestEvents
              summary: Ride and conversion events (JSON batch or Pub/Sub push); 2xx means durable
              requestBody:
                required: true
                content:
                  application/json:
                    schema:
                      $ref: "#/components/schemas/EventBatch"
              responses:
                "200":
                  description: Accepted, duplicate and rejected counts (Pub/Sub pushes are always acknowledged)
                  content:
                    application/json:
                      schema:
                        $ref: "#/components/schemas/EventReceipt"
                "400":
                  description: Not JSON, not a batch, more than 1000 events, or every event rejected
                  content:
                    application/json:
                      schema:
                        oneOf:
                          - $ref: "#/components/schemas/Error"
                          - $ref: "#/components/schemas/EventReceipt"
                "413":
                  $ref: "#/components/responses/PayloadTooLarge"
                "503":
                  $ref: "#/components/responses/Unavailable"
                "504":
                  $ref: "#/components/responses/DeadlineExceeded"
          /admin/models:
            get:
              tags: [admin]
              operationId: listModels
              summary: Model versions with lineage, metrics and what serves where
              security:
                - adminKey: []
              responses:
                "200":
                  description: Every registered version, newest first, and the current deployment
                  content:
                    application/json:
                      schema:
                        type: object
                        required: [models]
                        properties:
                          models:
                            type: array
                            items:
                              type: object
                              required: [version, serving]
                              properties:
                                version:
                                  type: string
                                serving:
                                  type: array
                                  items:
                                    type: string
                                replay:
                                  $ref: "#/components/schemas/ReplayReport"
                                retired:
                                  type: object
                                  description: >-
                                    Present when the version's artifact was deleted (it held a rider who asked to be
                                    erased); the version named by supersededBy serves in its place.
                                  required: [supersededBy, reason, retiredAt]
                                  properties:
                                    supersededBy:
                                      type: string
                                    reason:
                                      type: string
                                    retiredAt:
                                      type: string
                                      format: date-time
                          deployment:
                            $ref: "#/components/schemas/Deployment"
                "401":
                  $ref: "#/components/responses/Unauthenticated"
                "403":
                  $ref: "#/components/responses/PermissionDenied"
                "503":
                  $ref: "#/components/responses/Unavailable"
                "504":
                  $ref: "#/components/responses/DeadlineExceeded"
          /admin/switch-model:
            post:
              tags: [admin]
              operationId: switchModel
              summary: Hot-swap the model serving control, treatment or both (compare-and-swap of the deployment)
              security:
                - adminKey: []
              requestBody:
                required: true
                content:
                  application/json:
                    schema:
                      type: object
                      required: [version]
                      properties:
                        version:
                          type: string
                          maxLength: 32
                          pattern: "^v(0|[1-9][0-9]{0,8})[.](0|[1-9][0-9]{0,8})[.](0|[1-9][0-9]{0,8})$"
                          description: A registered model version such as v0.2.0
                        target:
                          type: string
                          description: all (default) or a variant name of the experiment
                          nullable: true
                          enum: [all, control, treatment, null]
              responses:
                "200":
                  $ref: "#/components/responses/DeploymentChange"
                "400":
                  $ref: "#/components/responses/InvalidArgument"
                "401":
                  $ref: "#/components/responses/Unauthenticated"
                "403":
                  $ref: "#/components/responses/PermissionDenied"
                "404":
                  $ref: "#/components/responses/NotFound"
                "409":
                  $ref: "#/components/responses/Conflict"
                "413":
                  $ref: "#/components/responses/PayloadTooLarge"
                "503":
                  $ref: "#/components/responses/Unavailable"
                "504":
                  $ref: "#/components/responses/DeadlineExceeded"
          /admin/rollback:
            post:
              tags: [admin]
              operationId: rollbackModel
              summary: Return to the previous deployment (any body is ignored)
              security:
                - adminKey: []
              responses:
                "200":
                  $ref: "#/components/responses/DeploymentChange"
                "401":
                  $ref: "#/components/responses/Unauthenticated"
                "403":
                  $ref: "#/components/responses/PermissionDenied"
                "409":
                  $ref: "#/components/responses/Conflict"
                "413":
                  $ref: "#/components/responses/PayloadTooLarge"
                "503":
                  $ref: "#/components/responses/Unavailable"
                "504":
                  $ref: "#/components/responses/DeadlineExceeded"
          /admin/shadow:
            get:
              tags: [admin]
              operationId: getShadow
              summary: The active experiment's shadow deployment (running or the last one ended) and its audit trail
              description: >-
                `shadow` is null when the active experiment never had one; an ended shadow keeps its record (with `endedAt`)
                until the next one starts, so its summary stays answerable.
              security:
                - adminKey: []
              responses:
                "200":
                  description: The shadow (or null) and every change to it, oldest first
                  content:
                    application/json:
                      schema:
                        $ref: "#/components/schemas/ShadowState"
                "401":
                  $ref: "#/components/responses/Unauthenticated"
                "403":
                  $ref: "#/components/responses/PermissionDenied"
                "503":
                  $ref: "#/components/responses/Unavailable"
                "504":
                  $ref: "#/components/responses/DeadlineExceeded"
            post:
              tags: [admin]
              operationId: startShadow
              summary: Score a sample of live requests with a registered version off the response path, answers discarded
              description: >-
                Puts `version` in shadow beside the active experiment's served models: for the requests of `target` (all,
                or one variant) whose request-id hash falls in `samplePercent`, the version ranks the same rider after the
                answer is made, on a low-priority background thread, and its list is compared with the served one (see
                GET /admin/shadow/summary). The version must load and pass the smoke check first (404 when it is not
                registered, 400 failed_precondition when it cannot serve); then the shadow is written by compare-and-swap
                (409 on a concurrent change) and audited, and every instance follows within the poll interval. A shadow
                already running is replaced (audited as `replace`).
              security:
                - adminKey: []
              requestBody:
                required: true
                content:
                  application/json:
                    schema:
                      type: object
                      required: [version]
                      properties:
                        version:
                          type: string
                          maxLength: 32
                          pattern: "^v(0|[1-9][0-9]{0,8})[.](0|[1-9][0-9]{0,8})[.](0|[1-9][0-9]{0,8})$"
                          description: A registered model version such as v0.2.0
                        target:
                          type: string
                          description: all (default) or a variant name of the active experiment, whose requests it shadows
                          nullable: true
                          enum: [all, control, treatment, null]
                        samplePercent:
                          type: number
                          description: The share of the target's requests it scores, 0–100 (default 100)
                          nullable: true
                          minimum: 0
                          maximum: 100
                    example:
                      version: v0.2.0
                      target: all
                      samplePercent: 25
              responses:
                "200":
                  description: The shadow now running
                  content:
                    application/json:
                      schema:
                        $ref: "#/components/schemas/ShadowDeployment"
                "400":
                  $ref: "#/components/responses/InvalidArgument"
                "401":
                  $ref: "#/components/responses/Unauthenticated"
                "403":
                  $ref: "#/components/responses/PermissionDenied"
                "404":
                  $ref: "#/components/responses/NotFound"
                "409":
                  $ref: "#/components/responses/Conflict"
                "413":
                  $ref: "#/components/responses/PayloadTooLarge"
                "503":
                  $ref: "#/components/responses/Unavailable"
                "504":
                  $ref: "#/components/responses/DeadlineExceeded"
            delete:
              tags: [admin]
              operationId: stopShadow
              summary: End the running shadow; its record and summary stay (409 when none runs)
              security:
                - adminKey: []
              responses:
                "200":
                  description: The shadow as ended, with `endedAt`
                  content:
                    application/json:
                      schema:
                        $ref: "#/components/schemas/ShadowDeployment"
                "401":
                  $ref: "#/components/responses/Unauthenticated"
                "403":
                  $ref: "#/components/responses/PermissionDenied"
                "409":
                  $ref: "#/components/responses/Conflict"
                "413":
                  $ref: "#/components/responses/PayloadTooLarge"
                "503":
                  $ref: "#/components/responses/Unavailable"
                "504":
                  $ref: "#/components/responses/DeadlineExceeded"
          /admin/shadow/summary:
            get:
              tags: [admin]
              operationId: shadowSummary
              summary: How the shadow's lists compared with the served ones, by variant and rider activity
              description: >-
                From the hourly tallies of every instance, for the active experiment's shadow (running, or the last one
                ended, whose window then ends when it ended): requests scored, failed and dropped, mean Jaccard@k and
                rank-biased overlap (p = 0.9) of the served list against the shadow's, the share whose top item changed,
                riders, and the shadow's scoring time, in total, per served variant and per rider activity (`new`: unknown
                to the served model; `light`: 1 to 4 distinct destinations in its training data; `heavy`: 5 or more).
                Means, shares and percentiles are absent while nothing was scored. Tallies are written every 10 s.
              security:
                - adminKey: []
              parameters:
                - name: windowHours
                  in: query
                  required: false
                  description: The window in UTC hours ending with the current one (or the hour the shadow ended); default 24
                  schema:
                    type: integer
                    minimum: 1
                    maximum: 720
                    default: 24
              responses:
                "200":
                  description: The shadow summary
                  content:
                    application/json:
                      schema:
                        $ref: "#/components/schemas/ShadowSummary"
                "400":
                  $ref: "#/components/responses/InvalidArgument"
                "401":
                  $ref: "#/components/responses/Unauthenticated"
                "403":
                  $ref: "#/components/responses/PermissionDenied"
                "503":
                  $ref: "#/components/responses/Unavailable"
                "504":
                  $ref: "#/components/responses/DeadlineExceeded"
          /riders/{userId}:
            delete:
              tags: [admin]
              operationId: eraseRider
              summary: Erase one rider from events, traces, owned places, models and experiment tallies
              description: >-
                Records the erasure (audited under a keyed hash of the id, never the id) and answers 202 at once with its
                progress; the sweep runs in the background and GET /riders/{userId}/erasure follows it. Every well-formed
                id is accepted, known or not: the rider's events may still be buffered in writers, and a 404 would tell
                whether someone rides with us. The final pass runs RIDEEASE_ERASURE_SETTLE_SECONDS (default 30) after the
                request; a scheduled function resumes unfinished erasures every 5 minutes. Asked again, a pending erasure
                answers as it is and a complete one starts over.
              security:
                - adminKey: []
              parameters:
                - $ref: "#/components/parameters/RiderId"
              responses:
                "202":
                  description: The erasure's progress; Location names where to follow it
                  headers:
                    Location:
                      description: /riders/{userId}/erasure
                      schema:
                        type: string
                  content:
                    application/json:
                      schema:
                        $ref: "#/components/schemas/Erasure"
                "400":
                  $ref: "#/components/responses/InvalidArgument"
                "401":
                  $ref: "#/components/responses/Unauthenticated"
                "503":
                  $ref: "#/components/responses/Unavailable"
          /riders/{userId}/erasure:
            get:
              tags: [admin]
              operationId: getErasure
              summary: Progress of a rider's erasure
              security:
                - adminKey: []
              parameters:
                - $ref: "#/components/parameters/RiderId"
              responses:
                "200":
                  description: The erasure's progress
                  content:
                    application/json:
                      schema:
                        $ref: "#/components/schemas/Erasure"
                "400":
                  $ref: "#/components/responses/InvalidArgument"
                "401":
                  $ref: "#/components/responses/Unauthenticated"
                "404":
                  $ref: "#/components/responses/NotFound"
                "503":
                  $ref: "#/components/responses/Unavailable"
          /admin/erasures/resume:
            post:
              tags: [admin]
              operationId: resumeErasures
              summary: Finish erasures left pending by a stopped process (also every 5 minutes)
              security:
                - adminKey: []
              responses:
                "200":
                  description: >-
                    Keyed hashes of the erasures completed now, of those waiting for their final pass (settle time or a
                    training run not over: a later run finishes them; this call never waits), and of those still pending
                    (the sweep failed, see the log)
                  content:
                    application/json:
                      schema:
                        type: object
                        required: [completed, waiting, pending]
                        properties:
                          completed:
                            type: array
                            items:
                              type: string
                          waiting:
                            type: array
                            items:
                              type: string
                          pending:
                            type: array
                            items:
                              type: string
                "401":
                  $ref: "#/components/responses/Unauthenticated"
                "503":
                  $ref: "#/components/responses/Unavailable"
                "504":
                  $ref: "#/components/responses/DeadlineExceeded"
          /admin/experiments:
            get:
              tags: [admin]
              operationId: listExperiments
              summary: Every recorded experiment, newest first, and the one instances serve
              security:
                - adminKey: []
              responses:
                "200":
                  description: The records (newest first) and the id of the active experiment
                  content:
                    application/json:
                      schema:
                        $ref: "#/components/schemas/ExperimentList"
                "401":
                  $ref: "#/components/responses/Unauthenticated"
                "403":
                  $ref: "#/components/responses/PermissionDenied"
                "503":
                  $ref: "#/components/responses/Unavailable"
                "504":
                  $ref: "#/components/responses/DeadlineExceeded"
            post:
              tags: [admin]
              operationId: createExperiment
              summary: Record a draft experiment (A/B or interleaving, variants and versions, coverage, metric, CUPED)
              description: >-
                Records the experiment as a draft; nothing serves it until POST /admin/experiments/{experimentId}/start.
                Everything but `id` has a default: A/B, control and treatment 50/50, full coverage, metric conversion, CUPED
                over 14 days, seed = id. The assignment (id, seed, variants, weights, coverage, design) never changes once
                recorded: a different split is a different experiment. 409 when the id is already recorded.
              security:
                - adminKey: []
              requestBody:
                required: true
                content:
                  application/json:
                    schema:
                      $ref: "#/components/schemas/ExperimentRequest"
                    examples:
                      interleaving:
                        summary: Interleave the serving model with a challenger
                        value:
                          id: ranker-interleaved
                          design: interleaving
                          variants:
                            - name: control
                              weight: 0.5
                            - name: treatment
                              weight: 0.5
                              version: v0.2.0
                      ab:
                        summary: An A/B test on 20 % of riders with CUPED over 28 days
                        value:
                          id: ranker-ab
                          variants:
                            - name: control
                              weight: 0.5
                            - name: treatment
                              weight: 0.5
                              version: v0.2.0
                          coverage: 0.2
                          cuped:
                            preWindowDays: 28
              responses:
                "201":
                  description: The draft record
                  content:
                    application/json:
                      schema:
                        $ref: "#/components/schemas/ExperimentRecord"
                "400":
                  $ref: "#/components/responses/InvalidArgument"
                "401":
                  $ref: "#/components/responses/Unauthenticated"
                "403":
                  $ref: "#/components/responses/PermissionDenied"
                "409":
                  $ref: "#/components/responses/Conflict"
                "413":
                  $ref: "#/components/responses/PayloadTooLarge"
                "503":
                  $ref: "#/components/responses/Unavailable"
                "504":
                  $ref: "#/components/responses/DeadlineExceeded"
          /admin/experiments/{experimentId}:
            get:
              tags: [admin]
              operationId: getExperiment
              summary: One experiment's record and audit trail
              security:
                - adminKey: []
              parameters:
                - $ref: "#/components/parameters/ExperimentId"
              responses:
                "200":
                  description: The record and every change to it, oldest first
                  content:
                    application/json:
                      schema:
                        $ref: "#/components/schemas/ExperimentDetail"
                "401":
                  $ref: "#/components/responses/Unauthenticated"
                "403":
                  $ref: "#/components/responses/PermissionDenied"
                "404":
                  $ref: "#/components/responses/NotFound"
                "503":
                  $ref: "#/components/responses/Unavailable"
                "504":
                  $ref: "#/components/responses/DeadlineExceeded"
          /admin/experiments/{experimentId}/start:
            post:
              tags: [admin]
              operationId: startExperiment
              summary: Start a draft experiment; every instance serves it within the poll interval
              description: >-
                One experiment runs at a time: 409 while another is running (stop it first), and for an experiment already
                running or stopped (a stopped experiment is never restarted: create a new one). Each variant serves the
                version recorded for it, else what serves that variant name now, else what serves the control now, else the
                newest registered version; every one must load and pass the smoke check before anything changes (404 for a
                version that is not registered, 400 failed_precondition when none is registered or one cannot serve).
                Then the experiment's deployment is written, the record becomes running (its variants name their
                versions) and the active pointer moves to it, each by compare-and-swap (409 on a concurrent change). Any
                body is ignored.
              security:
                - adminKey: []
              parameters:
                - $ref: "#/components/parameters/ExperimentId"
              responses:
                "200":
                  description: The running record
                  content:
                    application/json:
                      schema:
                        $ref: "#/components/schemas/ExperimentRecord"
                "400":
                  $ref: "#/components/responses/InvalidArgument"
                "401":
                  $ref: "#/components/responses/Unauthenticated"
                "403":
                  $ref: "#/components/responses/PermissionDenied"
                "404":
                  $ref: "#/components/responses/NotFound"
                "409":
                  $ref: "#/components/responses/Conflict"
                "413":
                  $ref: "#/components/responses/PayloadTooLarge"
                "503":
                  $ref: "#/components/responses/Unavailable"
                "504":
                  $ref: "#/components/responses/DeadlineExceeded"
          /admin/experiments/{experimentId}/stop:
            post:
              tags: [admin]
              operationId: stopExperiment
              summary: Stop a running experiment, keep its final summary, serve one variant to everyone
              description: >-
                The summary at this moment (window: the whole run) is kept in the record as `finalSummary` and answered by
                GET /experiments/{experimentId}/summary from then on. Every rider then gets the `serve` variant's model
                (the first variant, the control, unless told), outside any analysis, until another experiment starts.
                409 when the experiment is a draft or already stopped; 400 when `serve` names no variant of it.
              security:
                - adminKey: []
              parameters:
                - $ref: "#/components/parameters/ExperimentId"
              requestBody:
                required: false
                content:
                  application/json:
                    schema:
                      type: object
                      properties:
                        serve:
                          type: string
                          nullable: true
                          description: The variant every rider gets from now on (default the first, the control)
                          example: control
              responses:
                "200":
                  description: The stopped record with its final summary
                  content:
                    application/json:
                      schema:
                        $ref: "#/components/schemas/ExperimentRecord"
                "400":
                  $ref: "#/components/responses/InvalidArgument"
                "401":
                  $ref: "#/components/responses/Unauthenticated"
                "403":
                  $ref: "#/components/responses/PermissionDenied"
                "404":
                  $ref: "#/components/responses/NotFound"
                "409":
                  $ref: "#/components/responses/Conflict"
                "413":
                  $ref: "#/components/responses/PayloadTooLarge"
                "503":
                  $ref: "#/components/responses/Unavailable"
                "504":
                  $ref: "#/components/responses/DeadlineExceeded"
          /experiments/{experimentId}/summary:
            get:
              tags: [serving]
              operationId: experimentSummary
              summary: Analysis of an A/B or interleaving experiment and the ship / rollback / keep-running decision
              description: >-
                For any recorded experiment (404 otherwise; 400 failed_precondition for a draft, which has no data). A/B:
                per-variant riders and conversions, the z-test, the always-valid p-value, SRM, guardrails and, with CUPED
                on, the adjusted difference that then drives the decision. Interleaving: riders' wins, losses and ties, the
                sign test, the always-valid p-value and SRM on first picks. A stopped experiment answers the summary it
                stopped with, unless windowHours is given (then its window ends when it stopped).
              parameters:
                - $ref: "#/components/parameters/ExperimentId"
                - $ref: "#/components/parameters/WindowHours"
              responses:
                "200":
                  description: The summary of the experiment's design, told apart by `design`
                  content:
                    application/json:
                      schema:
                        $ref: "#/components/schemas/ExperimentReport"
                "400":
                  $ref: "#/components/responses/InvalidArgument"
                "404":
                  $ref: "#/components/responses/NotFound"
                "503":
                  $ref: "#/components/responses/Unavailable"
                "504":
                  $ref: "#/components/responses/DeadlineExceeded"
          /experiments/{experimentId}/timeline:
            get:
              tags: [serving]
              operationId: experimentTimeline
              summary: The experiment hour by hour, cumulative counts, always-valid p-value, SRM and decision
              description: >-
                One point per UTC hour of the window, cumulative from its start: per-variant riders and conversions (with
                CUPED's raw and adjusted differences) for an A/B experiment, wins, losses and ties for an interleaving one.
                404 for an experiment not recorded, 400 failed_precondition for a draft.
              parameters:
                - $ref: "#/components/parameters/ExperimentId"
                - $ref: "#/components/parameters/WindowHours"
              responses:
                "200":
                  description: One point per UTC hour of the window, cumulative from its start
                  content:
                    application/json:
                      schema:
                        $ref: "#/components/schemas/ExperimentTimeline"
                "400":
                  $ref: "#/components/responses/InvalidArgument"
                "404":
                  $ref: "#/components/responses/NotFound"
                "503":
                  $ref: "#/components/responses/Unavailable"
                "504":
                  $ref: "#/components/responses/DeadlineExceeded"
          /train:
            post:
              tags: [admin]
              operationId: train
              summary: Retrain on the event snapshot and register the next model version
              description: >-
                For small event logs only: above RIDEEASE_HTTP_TRAIN_MAX_EVENT_BYTES of event segments (default 128 MiB,
                about a million rides) the service answers 409 conflict and training runs as the Cloud Run Job
                (rideease train). A run already in progress is also 409.
              security:
                - adminKey: []
              requestBody:
                required: false
                content:
                  application/json:
                    schema:
                      type: object
                      properties:
                        algorithm:
                          type: string
                          nullable: true
                          enum: [ials, ease, popularity, null]
                        tune:
                          type: boolean
                          nullable: true
                        snapshotId:
                          type: string
                          nullable: true
                          pattern: "^snap-[0-9a-f]{16}$"
                        hyperparameters:
                          type: object
                          nullable: true
                          additionalProperties:
                            type: number
              responses:
                "200":
                  description: The run's outcome (registered, or refused by the quality gate)
                  content:
                    application/json:
                      schema:
                        type: object
                        required: [status, runId]
                        properties:
                          status:
                            type: string
                          runId:
                            type: string
                          dataSnapshotId:
                            type: string
                          model:
                            type: object
                          reason:
                            type: string
                          comparison:
                            type: object
                            description: >-
                              With RIDEEASE_GATE_MAX_NDCG_DROP set: the serving control refit on this run's split and both
                              ranked for the same test users; NDCG@10 of each and the paired per-user difference (candidate
                              minus control) with its standard error and 95 % interval.
                            required: [users, candidateNdcg, baselineNdcg, meanDifference, standardError, lower95, upper95]
                            properties:
                              baselineVersion:
                                type: string
                              users:
                                type: integer
                              candidateNdcg:
                                type: number
                              baselineNdcg:
                                type: number
                              meanDifference:
                                type: number
                              standardError:
                                type: number
                              lower95:
                                type: number
                              upper95:
                                type: number
                "400":
                  $ref: "#/components/responses/InvalidArgument"
                "401":
                  $ref: "#/components/responses/Unauthenticated"
                "403":
                  $ref: "#/components/responses/PermissionDenied"
                "404":
                  $ref: "#/components/responses/NotFound"
                "409":
                  $ref: "#/components/responses/Conflict"
                "413":
                  $ref: "#/components/responses/PayloadTooLarge"
                "503":
                  $ref: "#/components/responses/Unavailable"
                "504":
                  $ref: "#/components/responses/DeadlineExceeded"
          /admin/compact:
            post:
              tags: [admin]
              operationId: compactSegments
              summary: Merge finished days' small event and trace segments into daily files, then enforce retention
              description: >-
                Also runs nightly (30 3 * * * UTC). Each finished UTC day's small segments are merged into
                events|traces/<yyyy>/<mm>/<dd>/daily-<gen>.jsonl with an index of where each segment went, so snapshots
                taken before still reload with the same id; crash-safe (an interrupted run is finished or undone by the
                next). Then objects past the manifest's retention are deleted. 409 while an erasure or another run holds the
                maintenance lease.
              security:
                - adminKey: []
              responses:
                "200":
                  description: What the run did
                  content:
                    application/json:
                      schema:
                        type: object
                        required: [daysCompacted, segmentsMerged, bytesWritten, intentsResumed, daysDeferred,
                          retentionDeleted, durations]
                        properties:
                          daysCompacted:
                            type: integer
                          segmentsMerged:
                            type: integer
                          bytesWritten:
                            type: integer
                          intentsResumed:
                            type: integer
                            description: Compactions a killed run left, finished or undone by this one
                          daysDeferred:
                            type: integer
                            description: Days left for the next run because a segment changed while being merged
                          events:
                            type: object
                          traces:
                            type: object
                          retentionDeleted:
                            type: object
                            properties:
                              events:
                                type: integer
                              traces:
                                type: integer
                              audit:
                                type: integer
                          durations:
                            type: object
                            properties:
                              compaction:
                                type: number
                              retention:
                                type: number
                "401":
                  $ref: "#/components/responses/Unauthenticated"
                "409":
                  $ref: "#/components/responses/Conflict"
                "503":
                  $ref: "#/components/responses/Unavailable"
                "504":
                  $ref: "#/components/responses/DeadlineExceeded"
        components:
          securitySchemes:
            adminKey:
              type: apiKey
              in: header
              name: x-api-key
              description: MODEL_ADMIN_API_KEY (or the file in MODEL_ADMIN_API_KEY_FILE), compared in constant time
            viewerKey:
              type: apiKey
              in: header
              name: x-api-key
              description: >-
                RIDEEASE_VIEWER_KEY (or the file in RIDEEASE_VIEWER_KEY_FILE), read-only: opens the traces and nothing else;
                presented to an admin operation it is answered 403
          parameters:
            ExperimentId:
              name: experimentId
              in: path
              required: true
              description: A recorded experiment's id (GET /admin/experiments lists them)
              schema:
                type: string
                minLength: 1
            RiderId:
              name: userId
              in: path
              required: true
              description: The rider's id as in events (1-128 characters, no control characters)
              schema:
                type: string
                minLength: 1
                maxLength: 256
            WindowHours:
              name: windowHours
              in: query
              required: false
              description: >-
                The analysis window in UTC hours ending with the current one (or the hour the experiment stopped). Default:
                back to the experiment's start (at most 720 hours), so the sequential guarantee covers all its data.
              schema:
                type: integer
                minimum: 1
                maximum: 720
          responses:
            InvalidArgument:
              description: >-
                Malformed body or a value out of range (invalid_argument), or a request the current state cannot serve
                (failed_precondition: no model registered yet, an experiment that has not started)
              content:
                application/json:
                  schema:
                    $ref: "#/components/schemas/Error"
            Unauthenticated:
              description: Missing or wrong x-api-key; the message names the keys that would do
              content:
                application/json:
                  schema:
                    $ref: "#/components/schemas/Error"
            PermissionDenied:
              description: The read-only viewer key was presented to an operation that needs the admin key
              content:
                application/json:
                  schema:
                    $ref: "#/components/schemas/Error"
            NotFound:
              description: No such resource
              content:
                application/json:
                  schema:
                    $ref: "#/components/schemas/Error"
            Conflict:
              description: >-
                A concurrent change (lost compare-and-swap), a run already going, an id already recorded, or an experiment
                whose status forbids the change (another one running, already running, stopped, never started)
              content:
                application/json:
                  schema:
                    $ref: "#/components/schemas/Error"
            PayloadTooLarge:
              description: The body exceeds the function's maxRequestBytes
              content:
                application/json:
                  schema:
                    $ref: "#/components/schemas/Error"
            Unavailable:
              description: No model deployed yet, admin API disabled, or storage unreachable; retry later
              content:
                application/json:
                  schema:
                    $ref: "#/components/schemas/Error"
            DeadlineExceeded:
              description: The function ran past its timeout
              content:
                application/json:
                  schema:
                    $ref: "#/components/schemas/Error"
            DeploymentChange:
              description: The deployment after the change
              content:
                application/json:
                  schema:
                    type: object
                    required: [experimentId, generation, previous, current]
                    properties:
                      experimentId:
                        type: string
                      generation:
                        type: integer
                      previous:
                        type: object
                        additionalProperties:
                          type: string
                      current:
                        type: object
                        additionalProperties:
                          type: string
          schemas:
            Error:
              type: object
              required: [error]
              properties:
                error:
                  type: object
                  required: [code, message]
                  properties:
                    code:
                      type: string
                      example: invalid_argument
                    message:
                      type: string
            Health:
              type: object
              required: [status, ready, uptimeSeconds, experimentId, deploymentGeneration, models]
              properties:
                status:
                  type: string
                ready:
                  type: boolean
                uptimeSeconds:
                  type: number
                startedAt:
                  type: string
                experimentId:
                  type: string
                deploymentGeneration:
                  type: integer
                models:
                  type: object
                  additionalProperties:
                    type: string
            RecommendationRequest:
              type: object
              required: [userId]
              properties:
                userId:
                  type: string
                  minLength: 1
                  maxLength: 128
                  pattern: "^[^\\x00-\\x1f\\x7f]*[^\\x00-\\x20\\x7f][^\\x00-\\x1f\\x7f]*$"
                  description: 1-128 characters, no control characters, not only spaces
                limit:
                  type: integer
                  nullable: true
                  minimum: 1
                  maximum: 100
                  default: 10
                position:
                  type: object
                  description: Where the rider is; each recommended place in the catalog then carries distanceKm
                  required: [lat, lon]
                  properties:
                    lat:
                      type: number
                      minimum: -90
                      maximum: 90
                    lon:
                      type: number
                      minimum: -180
                      maximum: 180
            Recommendations:
              type: object
              additionalProperties: false
              required: [requestId, userId, experimentId, variant, modelVersion, recommendations, fallback]
              properties:
                requestId:
                  type: string
                userId:
                  type: string
                experimentId:
                  type: string
                  description: The active experiment
                variant:
                  type: string
                  description: The rider's variant, or `interleaved` for a list team-drafted from both
                modelVersion:
                  type: string
                  description: The version that served; under interleaving the control's (both are in `interleaving`)
                fallback:
                  type: boolean
                interleaving:
                  $ref: "#/components/schemas/InterleavingDraft"
                recommendations:
                  type: array
                  items:
                    $ref: "#/components/schemas/RecommendedItem"
            RecommendedItem:
              type: object
              additionalProperties: false
              required: [itemId, score, rank]
              description: >-
                name, lat, lon and category come from the place catalog (rideease places import; the simulator writes one)
                when it knows the place; distanceKm (great-circle, to the metre) when the request gave a position; arm under
                interleaving.
              properties:
                itemId:
                  type: string
                score:
                  type: number
                  description: The score of the model that placed the item (the control's for an item both placed)
                rank:
                  type: integer
                  minimum: 1
                arm:
                  $ref: "#/components/schemas/Arm"
                name:
                  type: string
                lat:
                  type: number
                lon:
                  type: number
                category:
                  type: string
                distanceKm:
                  type: number
            Arm:
              type: string
              enum: [control, treatment, both]
              description: >-
                Who placed an item in an interleaved list: one team, or `both` when both rankers' next items were the same
                (a competitive pair, credited to neither)
            InterleavingDraft:
              type: object
              additionalProperties: false
              description: How an interleaved list was drafted
              required: [firstPick, controlVersion, treatmentVersion]
              properties:
                firstPick:
                  type: string
                  enum: [control, treatment]
                  description: The team the request's round-0 coin let pick first (checked for SRM, expected 50/50)
                controlVersion:
                  type: string
                treatmentVersion:
                  type: string
            Trace:
              type: object
              additionalProperties: false
              required:
                [requestId, userId, experimentId, variant, modelVersion, deploymentGeneration, recommendations]
              properties:
                requestId:
                  type: string
                userId:
                  type: string
                experimentId:
                  type: string
                variant:
                  type: string
                  description: The rider's variant, or `interleaved`
                modelVersion:
                  type: string
                  description: Under interleaving the control's; the lineage fields below are that version's too
                deploymentGeneration:
                  type: integer
                dataSnapshotId:
                  type: string
                pipelineGitSha:
                  type: string
                containerImageDigest:
                  type: string
                artifactUri:
                  type: string
                latencyMs:
                  type: number
                fallback:
                  type: boolean
                createdAt:
                  type: string
                  format: date-time
                interleaving:
                  $ref: "#/components/schemas/InterleavingDraft"
                policy:
                  type: string
                  enum: [deterministic, epsilon-greedy, interleaving]
                  description: How the shown list was chosen (absent in traces written before propensities were logged)
                candidateCount:
                  type: integer
                  minimum: 0
                  description: >-
                    How many items the policy chose from: the catalog (deterministic), the exploration's candidate set
                    (epsilon-greedy), the union of both rankers' lists (interleaving)
                exploredPosition:
                  type: integer
                  minimum: 1
                  description: The 1-based position the exploration slot changed, when it did
                recommendations:
                  type: array
                  description: In rank order
                  items:
                    type: object
                    additionalProperties: false
                    required: [itemId, score]
                    properties:
                      itemId:
                        type: string
                      score:
                        type: number
                      arm:
                        $ref: "#/components/schemas/Arm"
                      position:
                        type: integer
                        minimum: 1
                      propensity:
                        type: number
                        exclusiveMinimum: true
                        minimum: 0
                        maximum: 1
                        description: >-
                          The probability with which the serving policy showed this item at this position (1 for a
                          deterministic ranker); absent in old traces and when an interleaving draft's was not computed
            Id:
              type: string
              minLength: 1
              maxLength: 128
              pattern: "^[^\\x00-\\x1f\\x7f]+$"
            Event:
              type: object
              description: >-
                An event without a timestamp takes the time it was received (in a Pub/Sub push, the message's
                publishTime) and is stored with
                "timestampSource": "received". Refused only when the timestamp is negative, unreadable or more than a day
                in the future.
              required: [type, userId, itemId]
              properties:
                eventId:
                  $ref: "#/components/schemas/Id"
                type:
                  type: string
                  enum: [ride, conversion]
                userId:
                  $ref: "#/components/schemas/Id"
                itemId:
                  $ref: "#/components/schemas/Id"
                timestamp:
                  description: >-
                    Unix time from 1970 on in seconds, milliseconds or microseconds (recognised by magnitude: below 1e11
                    seconds, below 1e14 milliseconds, above microseconds), or an ISO-8601 / RFC 3339 string with or without
                    fractional seconds and offset (Z, +02:00; none means UTC). Optional: the time received when absent.
                  oneOf:
                    - type: number
                      minimum: 0
                    - type: string
                      example: "1997-12-04T10:15:30.250+02:00"
                weight:
                  type: number
                city:
                  type: string
                pickup:
                  type: string
                requestId:
                  type: string
            EventBatch:
              description: "{\"events\": [...]}, a bare array, one event, or a Pub/Sub push envelope of those"
              oneOf:
                - type: object
                  required: [events]
                  properties:
                    events:
                      type: array
                      maxItems: 1000
                      items:
                        $ref: "#/components/schemas/Event"
                - type: array
                  maxItems: 1000
                  items:
                    $ref: "#/components/schemas/Event"
            EventReceipt:
              type: object
              required: [accepted, duplicates, rejected]
              properties:
                accepted:
                  type: integer
                duplicates:
                  type: integer
                rejected:
                  type: array
                  items:
                    type: object
                    required: [index, error]
                    properties:
                      index:
                        type: integer
                      error:
                        type: string
            Deployment:
              type: object
              required: [experimentId, generation, versions]
              properties:
                experimentId:
                  type: string
                generation:
                  type: integer
                versions:
                  type: object
                  additionalProperties:
                    type: string
                previous:
                  type: object
                  additionalProperties:
                    type: string
                updatedAt:
                  type: string
                updatedBy:
                  type: string
            ExperimentDesign:
              type: string
              enum: [ab, interleaving]
              description: >-
                ab: each covered rider gets one variant's model, compared by conversion rate. interleaving: each rider gets
                one list team-drafted from the control's and the treatment's models, compared by whose items the rider
                converted on.
            ExperimentStatus:
              type: string
              enum: [draft, running, stopped]
            Decision:
              type: string
              enum: [ship, rollback, keep-running]
            ExperimentRequest:
              type: object
              required: [id]
              description: >-
                Unknown fields are ignored; `null` means the default, except for `cuped` (null: CUPED off). A/B and
                interleaving both compare exactly two variants. Interleaving: the variants are `control` and `treatment` in
                that order, weights 0.5 and 0.5, and no CUPED.
              properties:
                id:
                  type: string
                  minLength: 1
                  maxLength: 128
                  pattern: "^[A-Za-z0-9._-]+$"
                  description: >-
                    One path segment (it names the experiment's objects in the store): letters, digits, `-`, `_`, `.`; not
                    `.`, `..` or `active` (400).
                design:
                  type: string
                  nullable: true
                  enum: [ab, interleaving, null]
                  default: ab
                variants:
                  type: array
                  nullable: true
                  minItems: 2
                  maxItems: 2
                  description: >-
                    Control first. Names unique; weights sum to 1 (within 1e-9). Default control and treatment, 0.5 each.
                  items:
                    type: object
                    required: [name, weight]
                    properties:
                      name:
                        type: string
                        minLength: 1
                      weight:
                        type: number
                        minimum: 0
                        maximum: 1
                      version:
                        type: string
                        nullable: true
                        maxLength: 32
                        pattern: "^v(0|[1-9][0-9]{0,8})[.](0|[1-9][0-9]{0,8})[.](0|[1-9][0-9]{0,8})$"
                        description: >-
                          The model version the variant serves once started; absent: what serves that variant (else the
                          control) when it starts
                coverage:
                  type: number
                  nullable: true
                  minimum: 0
                  maximum: 1
                  default: 1
                  description: Share of riders in the experiment; the others get the control, uncounted
                metric:
                  type: string
                  nullable: true
                  enum: [conversion, null]
                  default: conversion
                seed:
                  type: string
                  nullable: true
                  minLength: 1
                  description: The assignment hash's seed (GrowthBook-compatible); default the id
                cuped:
                  type: object
                  nullable: true
                  description: >-
                    A/B only. Absent: on over 14 days; null: off. The covariate is each rider's conversion (0/1) in the
                    preWindowDays before their first exposure, from the event log.
                  required: [preWindowDays]
                  properties:
                    preWindowDays:
                      type: integer
                      minimum: 1
                      maximum: 60
                exploration:
                  $ref: "#/components/schemas/Exploration"
            Exploration:
              type: object
              nullable: true
              description: >-
                A/B only; absent or null: off. With probability epsilon a request's list gets one exploration slot: a random
                shown position takes a random item of the ranker's top `candidates` (swapped if already shown); every trace
                logs the exact probabilities, so `rideease eval --replay` can evaluate other models on this traffic.
              required: [epsilon]
              properties:
                epsilon:
                  type: number
                  exclusiveMinimum: true
                  minimum: 0
                  maximum: 0.5
                candidates:
                  type: integer
                  minimum: 2
                  maximum: 200
                  default: 20
            RecordedVariant:
              type: object
              additionalProperties: false
              required: [name, weight]
              properties:
                name:
                  type: string
                weight:
                  type: number
                  minimum: 0
                  maximum: 1
                version:
                  type: string
                  description: >-
                    The version it serves; absent when none was named and the experiment has not been started through the
                    admin API (a draft, or the experiment seeded from RIDEEASE_EXPERIMENT)
            ExperimentRecord:
              type: object
              additionalProperties: false
              description: An experiment as stored in experiment-records/<id>.json
              required: [id, design, seed, variants, coverage, metric, status, createdAt, revision]
              properties:
                id:
                  type: string
                design:
                  $ref: "#/components/schemas/ExperimentDesign"
                seed:
                  type: string
                variants:
                  type: array
                  items:
                    $ref: "#/components/schemas/RecordedVariant"
                coverage:
                  type: number
                  minimum: 0
                  maximum: 1
                metric:
                  type: string
                  enum: [conversion]
                cuped:
                  type: object
                  additionalProperties: false
                  description: Absent when CUPED is off (always for interleaving)
                  required: [preWindowDays]
                  properties:
                    preWindowDays:
                      type: integer
                      minimum: 1
                      maximum: 60
                status:
                  $ref: "#/components/schemas/ExperimentStatus"
                createdAt:
                  type: string
                  format: date-time
                startedAt:
                  type: string
                  format: date-time
                stoppedAt:
                  type: string
                  format: date-time
                servedAfterStop:
                  type: string
                  description: The variant every rider gets since the experiment stopped
                finalSummary:
                  $ref: "#/components/schemas/ExperimentReport"
                revision:
                  type: integer
                  minimum: 1
                  description: Incremented by every change (create 1, start 2, stop 3)
                exploration:
                  $ref: "#/components/schemas/Exploration"
            ExperimentList:
              type: object
              additionalProperties: false
              required: [active, experiments]
              properties:
                active:
                  type: string
                  description: The experiment every instance follows (experiment-records/active.json), running or stopped
                experiments:
                  type: array
                  description: Newest first
                  items:
                    $ref: "#/components/schemas/ExperimentRecord"
            ExperimentDetail:
              type: object
              additionalProperties: false
              required: [experiment, audit]
              properties:
                experiment:
                  $ref: "#/components/schemas/ExperimentRecord"
                audit:
                  type: array
                  description: Every change, oldest first (audit/experiments/<id>/…)
                  items:
                    $ref: "#/components/schemas/ExperimentAudit"
            ExperimentAudit:
              type: object
              additionalProperties: false
              required: [action, actor, at, experimentId, to, revision]
              properties:
                action:
                  type: string
                  enum: [create, start, stop, seed]
                  description: seed is the experiment of RIDEEASE_EXPERIMENT, recorded as running when the store had none
                actor:
                  type: string
                  description: admin-api, or rideease for the seed
                at:
                  type: string
                  format: date-time
                experimentId:
                  type: string
                from:
                  $ref: "#/components/schemas/ExperimentStatus"
                to:
                  $ref: "#/components/schemas/ExperimentStatus"
                revision:
                  type: integer
                requestId:
                  type: string
            ExperimentReport:
              description: The summary of either design, told apart by `design`
              oneOf:
                - $ref: "#/components/schemas/ABSummary"
                - $ref: "#/components/schemas/InterleavingSummary"
              discriminator:
                propertyName: design
                mapping:
                  ab: "#/components/schemas/ABSummary"
                  interleaving: "#/components/schemas/InterleavingSummary"
            InsufficientData:
              type: object
              additionalProperties: false
              description: A statistic that cannot be computed from the data yet, and why
              required: [insufficientData, reason]
              properties:
                insufficientData:
                  type: boolean
                  enum: [true]
                reason:
                  type: string
            EstimateInterval:
              type: object
              additionalProperties: false
              required: [estimate, lower, upper]
              properties:
                estimate:
                  type: number
                lower:
                  type: number
                upper:
                  type: number
            EstimateResult:
              oneOf:
                - $ref: "#/components/schemas/EstimateInterval"
                - $ref: "#/components/schemas/InsufficientData"
            AnalysisWindow:
              type: object
              additionalProperties: false
              required: [hours]
              properties:
                hours:
                  type: integer
                  minimum: 1
                  maximum: 720
                start:
                  type: string
                  format: date-time
                end:
                  type: string
                  format: date-time
            SampleRatioMismatch:
              description: Pearson's χ² of the observed split against the expected one; detected when p < 0.001
              oneOf:
                - type: object
                  additionalProperties: false
                  required: [chiSquare, degreesOfFreedom, pValue, detected]
                  properties:
                    chiSquare:
                      type: number
                    degreesOfFreedom:
                      type: integer
                    pValue:
                      type: number
                    detected:
                      type: boolean
                    note:
                      type: string
                - $ref: "#/components/schemas/InsufficientData"
            AlwaysValidState:
              type: object
              additionalProperties: false
              description: The running minimum of the always-valid p-value over the looks (one per hour of the window)
              required: [pValue, looks]
              properties:
                pValue:
                  type: number
                looks:
                  type: integer
                  minimum: 0
                mixingVariance:
                  type: number
            CupedEstimate:
              description: >-
                CUPED (Deng, Xu, Kohavi & Walker 2013): the treatment − control difference adjusted by each rider's
                pre-exposure conversion, θ pooled over both arms; ρ (correlation) and the variance reduction (≈ ρ²) say
                how much it helped. With a value, the always-valid test and the decision use the adjusted difference.
              oneOf:
                - type: object
                  additionalProperties: false
                  required:
                    [theta, correlation, varianceReduction, raw, adjusted, rawStandardError, adjustedStandardError, z,
                     pValue, ridersWithoutHistory, preWindowDays, usersNeeded]
                  properties:
                    theta:
                      type: number
                    correlation:
                      type: number
                    varianceReduction:
                      type: number
                    raw:
                      $ref: "#/components/schemas/EstimateInterval"
                    adjusted:
                      $ref: "#/components/schemas/EstimateInterval"
                    rawStandardError:
                      type: number
                    adjustedStandardError:
                      type: number
                    z:
                      type: number
                    pValue:
                      type: number
                    ridersWithoutHistory:
                      type: integer
                      minimum: 0
                    preWindowDays:
                      type: integer
                    usersNeeded:
                      type: object
                      additionalProperties: false
                      description: Riders needed in total for the target effect, without and with CUPED
                      properties:
                        raw:
                          type: integer
                        adjusted:
                          type: integer
                - $ref: "#/components/schemas/InsufficientData"
            ABSummary:
              type: object
              additionalProperties: false
              required:
                [experimentId, design, window, variants, test, srm, guardrails, decision, reason, minimumDetectableEffect,
                 usersNeeded, alwaysValidState]
              properties:
                experimentId:
                  type: string
                design:
                  type: string
                  enum: [ab]
                window:
                  $ref: "#/components/schemas/AnalysisWindow"
                variants:
                  type: array
                  items:
                    type: object
                    additionalProperties: false
                    required: [name, weight, users, conversions, confidenceInterval]
                    properties:
                      name:
                        type: string
                      weight:
                        type: number
                      users:
                        type: integer
                        minimum: 0
                      conversions:
                        type: integer
                        minimum: 0
                      conversionRate:
                        type: number
                      confidenceInterval:
                        $ref: "#/components/schemas/EstimateResult"
                test:
                  type: object
                  additionalProperties: false
                  description: The fixed-horizon z-test (raw, even with CUPED) and the always-valid results side by side
                  required: [basis, z, pValue, alwaysValidPValue, difference, lift, confidenceSequence]
                  properties:
                    basis:
                      type: string
                      enum: [always-valid, fixed-horizon]
                    z:
                      type: number
                      nullable: true
                    pValue:
                      type: number
                      nullable: true
                    alwaysValidPValue:
                      type: number
                      nullable: true
                    difference:
                      $ref: "#/components/schemas/EstimateResult"
                    lift:
                      $ref: "#/components/schemas/EstimateResult"
                    confidenceSequence:
                      $ref: "#/components/schemas/EstimateResult"
                    insufficientData:
                      type: string
                srm:
                  $ref: "#/components/schemas/SampleRatioMismatch"
                guardrails:
                  type: object
                  additionalProperties: false
                  required: [status, checks]
                  properties:
                    status:
                      type: string
                      enum: [ok, breached, not-evaluated]
                    checks:
                      type: array
                      items:
                        type: object
                        additionalProperties: false
                        required: [name, status, detail]
                        properties:
                          name:
                            type: string
                          control:
                            type: number
                          treatment:
                            type: number
                          limit:
                            type: number
                          status:
                            type: string
                            enum: [ok, breached, not-evaluated]
                          detail:
                            type: string
                decision:
                  $ref: "#/components/schemas/Decision"
                reason:
                  type: string
                minimumDetectableEffect:
                  oneOf:
                    - type: object
                      additionalProperties: false
                      required: [absolute, baselineRate]
                      properties:
                        absolute:
                          type: number
                        relative:
                          type: number
                        baselineRate:
                          type: number
                    - $ref: "#/components/schemas/InsufficientData"
                usersNeeded:
                  oneOf:
                    - type: object
                      additionalProperties: false
                      required: [effect, treatmentUsers, totalUsers, additionalUsers]
                      properties:
                        effect:
                          type: number
                        treatmentUsers:
                          type: number
                        totalUsers:
                          type: integer
                        additionalUsers:
                          type: integer
                    - $ref: "#/components/schemas/InsufficientData"
                cuped:
                  $ref: "#/components/schemas/CupedEstimate"
                alwaysValidState:
                  $ref: "#/components/schemas/AlwaysValidState"
            InterleavingSummary:
              type: object
              additionalProperties: false
              description: >-
                A rider wins for treatment when more of their attributed conversions were on items the treatment placed than
                on the control's, loses for the reverse, ties when equal (including conversions only on items both placed).
              required:
                [experimentId, design, window, exposedRiders, riders, wins, losses, ties, preference, pValue,
                 alwaysValidPValue, srm, firstPicks, decision, reason, alwaysValidState]
              properties:
                experimentId:
                  type: string
                design:
                  type: string
                  enum: [interleaving]
                window:
                  $ref: "#/components/schemas/AnalysisWindow"
                exposedRiders:
                  type: integer
                  minimum: 0
                  description: Riders who got at least one interleaved list
                riders:
                  type: integer
                  minimum: 0
                  description: Riders with at least one attributed conversion (wins + losses + ties)
                wins:
                  type: integer
                  minimum: 0
                losses:
                  type: integer
                  minimum: 0
                ties:
                  type: integer
                  minimum: 0
                preference:
                  description: (wins + ties/2) / riders − 0.5 with its 95 % interval
                  allOf:
                    - $ref: "#/components/schemas/EstimateResult"
                pValue:
                  type: number
                  nullable: true
                  description: Exact two-sided sign test of wins against losses (ties dropped), fixed-horizon
                alwaysValidPValue:
                  type: number
                  nullable: true
                  description: The always-valid p-value of the same wins and losses (Beta mixture SPRT); drives the decision
                srm:
                  $ref: "#/components/schemas/SampleRatioMismatch"
                firstPicks:
                  type: object
                  additionalProperties: false
                  description: Requests whose round-0 coin went to each team (SRM expects 50/50)
                  required: [control, treatment]
                  properties:
                    control:
                      type: integer
                      minimum: 0
                    treatment:
                      type: integer
                      minimum: 0
                decision:
                  $ref: "#/components/schemas/Decision"
                reason:
                  type: string
                alwaysValidState:
                  $ref: "#/components/schemas/AlwaysValidState"
            ShadowDeployment:
              type: object
              additionalProperties: false
              description: A candidate version scoring live requests beside the served models (shadow/<experimentId>.json)
              required: [experimentId, generation, version, target, samplePercent, startedAt]
              properties:
                experimentId:
                  type: string
                generation:
                  type: integer
                  minimum: 1
                  description: Raised by every start, replacement and end
                version:
                  type: string
                  example: v0.2.0
                target:
                  type: string
                  description: all, or the one variant whose requests it shadows
                samplePercent:
                  type: number
                  minimum: 0
                  maximum: 100
                startedAt:
                  type: string
                  format: date-time
                endedAt:
                  type: string
                  format: date-time
                  description: When DELETE /admin/shadow ended it; absent while it runs
            ShadowAudit:
              type: object
              additionalProperties: false
              required: [action, actor, at, shadow]
              properties:
                action:
                  type: string
                  enum: [start, replace, end]
                actor:
                  type: string
                  description: admin-api
                at:
                  type: string
                  format: date-time
                shadow:
                  $ref: "#/components/schemas/ShadowDeployment"
                requestId:
                  type: string
            ShadowState:
              type: object
              additionalProperties: false
              required: [experimentId, shadow, audit]
              properties:
                experimentId:
                  type: string
                  description: The active experiment
                shadow:
                  description: Its shadow, running or the last one ended; null when it never had one
                  nullable: true
                  allOf:
                    - $ref: "#/components/schemas/ShadowDeployment"
                audit:
                  type: array
                  description: Every change, oldest first (audit/shadow/<experimentId>/…)
                  items:
                    $ref: "#/components/schemas/ShadowAudit"
            ShadowGroup:
              type: object
              additionalProperties: false
              description: >-
                One group of shadowed requests. The optional figures are absent (never null) until they can be computed:
                errorRate before any attempt, the means, shares and percentiles before any scored request.
              required: [scored, errors, dropped, riders]
              properties:
                scored:
                  type: integer
                  minimum: 0
                  description: Requests the shadow scored and compared
                errors:
                  type: integer
                  minimum: 0
                  description: Requests whose shadow scoring failed (the rider's answer was unaffected)
                dropped:
                  type: integer
                  minimum: 0
                  description: Sampled requests skipped because the shadow fell behind
                errorRate:
                  type: number
                  minimum: 0
                  maximum: 1
                  description: errors / (scored + errors)
                meanJaccard:
                  type: number
                  minimum: 0
                  description: Mean Jaccard@k of the served and the shadow list, k the served list's length (0–1)
                meanRbo:
                  type: number
                  minimum: 0
                  description: Mean extrapolated rank-biased overlap, p = 0.9 (0–1; 1 = identical lists)
                topItemChangedShare:
                  type: number
                  minimum: 0
                  maximum: 1
                  description: Share of scored requests whose first item differs
                riders:
                  type: integer
                  minimum: 0
                  description: Distinct riders scored
                ridersTopItemChangedShare:
                  type: number
                  minimum: 0
                  maximum: 1
                  description: Share of those riders whose top item changed at least once
                latencyP50Ms:
                  type: number
                  minimum: 0
                  description: Shadow scoring time, median, milliseconds (within 2 %)
                latencyP99Ms:
                  type: number
                  minimum: 0
                  description: Shadow scoring time, 99th percentile, milliseconds (within 2 %)
            Erasure:
              type: object
              description: One rider's erasure; the rider is named by a keyed hash only
              required: [riderHash, status, requestedAt, settleUntil, stagesDone, counts]
              properties:
                riderHash:
                  type: string
                  description: First 32 hex digits of HMAC-SHA256(RIDEEASE_RIDER_HASH_KEY, userId)
                status:
                  type: string
                  enum: [pending, complete]
                requestedAt:
                  type: string
                  format: date-time
                settleUntil:
                  type: string
                  format: date-time
                  description: The final pass over events and traces runs after this time
                completedAt:
                  type: string
                  format: date-time
                stagesDone:
                  type: array
                  items:
                    type: string
                    enum: [events, traces, places, models, tallies, settled]
                counts:
                  type: object
                  properties:
                    eventSegmentsScanned:
                      type: integer
                    eventSegmentsRewritten:
                      type: integer
                    eventsRemoved:
                      type: integer
                    traceSegmentsScanned:
                      type: integer
                    traceSegmentsRewritten:
                      type: integer
                    tracesRemoved:
                      type: integer
                    placesRemoved:
                      type: integer
                    tallyPartsRewritten:
                      type: integer
                    modelPatches:
                      type: array
                      items:
                        type: object
                        properties:
                          retired:
                            type: string
                          replacement:
                            type: string
            ShadowSummary:
              type: object
              additionalProperties: false
              required: [experimentId, windowHours, windowStart, windowEnd, total, variants, activity]
              properties:
                experimentId:
                  type: string
                  description: The active experiment
                shadow:
                  description: The shadow summarised (running or the last one ended); absent when the experiment never had one
                  allOf:
                    - $ref: "#/components/schemas/ShadowDeployment"
                windowHours:
                  type: integer
                  minimum: 1
                  maximum: 720
                windowStart:
                  type: string
                  format: date-time
                windowEnd:
                  type: string
                  format: date-time
                total:
                  $ref: "#/components/schemas/ShadowGroup"
                variants:
                  type: object
                  description: Per served variant (`interleaved` for the lists of an interleaving experiment)
                  additionalProperties:
                    type: object
                    additionalProperties: false
                    required: [total, activity]
                    properties:
                      total:
                        $ref: "#/components/schemas/ShadowGroup"
                      activity:
                        type: object
                        description: By rider activity
                        additionalProperties:
                          $ref: "#/components/schemas/ShadowGroup"
                activity:
                  type: object
                  description: All variants together, by rider activity (new, light, heavy)
                  additionalProperties:
                    $ref: "#/components/schemas/ShadowGroup"
            ExperimentTimeline:
              type: object
              additionalProperties: false
              required: [experimentId, design, variants, points]
              properties:
                experimentId:
                  type: string
                design:
                  $ref: "#/components/schemas/ExperimentDesign"
                variants:
                  type: array
                  items:
                    type: string
                points:
                  type: array
                  items:
                    type: object
                    additionalProperties: false
                    required: [hourEnding, variants, decision]
                    properties:
                      hourEnding:
                        type: string
                        format: date-time
                      variants:
                        type: array
                        description: Per variant (A/B); empty under interleaving
                        items:
                          type: object
                          additionalProperties: false
                          required: [variant, users, conversions]
                          properties:
                            variant:
                              type: string
                            users:
                              type: integer
                              minimum: 0
                            conversions:
                              type: integer
                              minimum: 0
                            conversionRate:
                              type: number
                      interleaving:
                        type: object
                        additionalProperties: false
                        description: Interleaving only
                        required: [riders, wins, losses, ties]
                        properties:
                          riders:
                            type: integer
                            minimum: 0
                          wins:
                            type: integer
                            minimum: 0
                          losses:
                            type: integer
                            minimum: 0
                          ties:
                            type: integer
                            minimum: 0
                          preference:
                            type: number
                      cuped:
                        type: object
                        additionalProperties: false
                        description: A/B with CUPED, once estimable; the treatment − control difference raw and adjusted
                        required: [raw, adjusted]
                        properties:
                          raw:
                            $ref: "#/components/schemas/EstimateInterval"
                          adjusted:
                            $ref: "#/components/schemas/EstimateInterval"
                      alwaysValidPValue:
                        type: number
                      srmPValue:
                        type: number
                      decision:
                        $ref: "#/components/schemas/Decision"
            ReplayInterval:
              type: object
              additionalProperties: false
              required: [value, standardError, lower, upper]
              properties:
                value:
                  type: number
                standardError:
                  type: number
                lower:
                  type: number
                upper:
                  type: number
            ReplayReport:
              type: object
              additionalProperties: false
              description: >-
                The last `rideease eval --replay` of a version: item-position IPS and per-position SNIPS estimates of its
                conversions per request on the logged traces of the window, and the rate it achieved where it served
              required: [version, windowStart, windowEnd, evaluatedAt, traces, usable, skipped, estimate]
              properties:
                version:
                  type: string
                windowStart:
                  type: string
                  format: date-time
                windowEnd:
                  type: string
                  format: date-time
                evaluatedAt:
                  type: string
                  format: date-time
                traces:
                  type: integer
                usable:
                  type: integer
                skipped:
                  type: object
                  additionalProperties:
                    type: integer
                estimate:
                  type: object
                  additionalProperties: false
                  required: [requests, matchedRequests, matchedSlots, loggedRate, ips, snips, confidence]
                  properties:
                    requests:
                      type: integer
                    matchedRequests:
                      type: integer
                    matchedSlots:
                      type: integer
                    loggedRate:
                      type: number
                    ips:
                      $ref: "#/components/schemas/ReplayInterval"
                    snips:
                      $ref: "#/components/schemas/ReplayInterval"
                    confidence:
                      type: number
                online:
                  type: object
                  additionalProperties: false
                  required: [requests, conversions, rate, lower, upper]
                  properties:
                    requests:
                      type: integer
                    conversions:
                      type: integer
                    rate:
                      type: number
                    lower:
                      type: number
                    upper:
                      type: number

        """#
}
