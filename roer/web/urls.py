"""Every page of Roer, by area; each area keeps its URL namespace (`scans:detail`, `results:scan`, ...)."""

from django.contrib.auth import views as auth_views
from django.urls import include, path

from roer.lib.health import health
from roer.sso import views as sso
from roer.web import (
    accounts,
    exchange,
    learning,
    mail_texts,
    members,
    open_answers,
    organisations,
    pages,
    plan_files,
    plans,
    platform,
    portfolio,
    questionnaire,
    reports,
    resident_printing,
    resident_survey,
    residents,
    results,
    scans,
    session,
)
from roer.web.health import ready

organisation_urls = [
    path("", organisations.dashboard, name="dashboard"),
    path("organisations/<uuid:organisation_code>/", organisations.organisation_detail, name="detail"),
    path("organisations/<uuid:organisation_code>/benchmark/", organisations.organisation_benchmark, name="benchmark"),
    path("organisations/<uuid:organisation_code>/look/", organisations.organisation_look, name="look"),
    path("organisations/<uuid:organisation_code>/logo.png", organisations.organisation_logo, name="logo"),
    path("organisations/<uuid:organisation_code>/look.css", organisations.organisation_look_css, name="look_css"),
]

scan_urls = [
    path("organisations/<uuid:organisation_code>/scans/new/", scans.scan_create, name="create"),
    path("scans/<uuid:scan_code>/", scans.scan_detail, name="detail"),
    path("scans/<uuid:scan_code>/edit/", scans.scan_edit, name="edit"),
    path("scans/<uuid:scan_code>/delete/", scans.scan_delete, name="delete"),
    path("scans/<uuid:scan_code>/cancel/", scans.scan_cancel, name="cancel"),
    path("scans/<uuid:scan_code>/copy/", scans.scan_copy, name="copy"),
    path("scans/<uuid:scan_code>/invitees/", scans.scan_invitees, name="invitees"),
    path(
        "scans/<uuid:scan_code>/invitees/<int:invitation_id>/remove/",
        scans.invitation_remove,
        name="invitation_remove",
    ),
    path("scans/<uuid:scan_code>/send/invitations/", scans.scan_send, {"kind": "invitations"}, name="send_invitations"),
    path("scans/<uuid:scan_code>/send/reminders/", scans.scan_send, {"kind": "reminders"}, name="send_reminders"),
    path("scans/<uuid:scan_code>/mailings/plan/", scans.mailing_plan, name="mailing_plan"),
    path("scans/<uuid:scan_code>/mail-texts/", mail_texts.scan_mail_texts, name="mail_texts"),
    path("scans/<uuid:scan_code>/mailings/<int:mailing_id>/cancel/", scans.mailing_cancel, name="mailing_cancel"),
    path("scans/<uuid:scan_code>/close/", scans.scan_close, name="close"),
    path("scans/<uuid:scan_code>/open-answers/", open_answers.open_answer_review, name="open_answers"),
    path("scans/<uuid:scan_code>/open-answers/decide/", open_answers.open_answer_decision, name="open_answer_decide"),
    path(
        "scans/<uuid:scan_code>/open-answers/publish/", open_answers.open_answers_publish, name="open_answers_publish"
    ),
]

# A residents' survey beside a scan, for its scan managers.
resident_urls = [
    path("scans/<uuid:scan_code>/residents/", residents.survey_detail, name="detail"),
    path("scans/<uuid:scan_code>/residents/setup/", residents.survey_setup, name="setup"),
    path("scans/<uuid:scan_code>/residents/paper/", residents.paper_entry, name="paper_entry"),
    path("scans/<uuid:scan_code>/residents/close/", residents.survey_close, name="close"),
    path("scans/<uuid:scan_code>/residents/bursts/<int:burst_id>/", residents.burst_decision, name="burst"),
    # Printing: the poster, the letters and the paper form.
    path("scans/<uuid:scan_code>/residents/poster.pdf", resident_printing.poster_pdf, name="poster_pdf"),
    path("scans/<uuid:scan_code>/residents/poster.svg", resident_printing.poster_svg, name="poster_svg"),
    path("scans/<uuid:scan_code>/residents/qr.svg", resident_printing.qr_svg, name="qr_svg"),
    path("scans/<uuid:scan_code>/residents/paper.pdf", resident_printing.paper_pdf, name="paper_pdf"),
    path("scans/<uuid:scan_code>/residents/letters/", resident_printing.letters, name="letters"),
    path(
        "scans/<uuid:scan_code>/residents/letters/<int:batch_id>/letters/",
        resident_printing.letters_file,
        name="letters_file",
    ),
    path(
        "scans/<uuid:scan_code>/residents/letters/<int:batch_id>/codes.csv",
        resident_printing.letters_codes,
        name="letters_codes",
    ),
]

# What residents open: the short link (poster, website) and the letter's page.
resident_public_urls = [
    path("<slug:slug>/", resident_survey.open_link, name="open_link"),
    path("<slug:slug>/brief/", resident_survey.letter, name="letter"),
    path("<slug:slug>/bedankt/", resident_survey.thanks, name="thanks"),
]

# An organisation's members and consultants: every member sees them, its scan managers manage them.
member_urls = [
    path("organisations/<uuid:organisation_code>/members/", members.members, name="list"),
    path("organisations/<uuid:organisation_code>/members/invite/", members.member_invite, name="invite"),
    path("organisations/<uuid:organisation_code>/members/<int:membership_id>/role/", members.member_role, name="role"),
    path(
        "organisations/<uuid:organisation_code>/members/<int:membership_id>/remove/",
        members.member_remove,
        name="remove",
    ),
    path(
        "organisations/<uuid:organisation_code>/consultants/grant/", members.consultant_grant, name="consultant_grant"
    ),
    path(
        "organisations/<uuid:organisation_code>/consultants/<int:membership_id>/revoke/",
        members.consultant_revoke,
        name="consultant_revoke",
    ),
]

# An organisation's action plan: every member reads it, scan managers plan, an action's owner updates it.
plan_urls = [
    path("organisations/<uuid:organisation_code>/plan/", plans.board, name="board"),
    path("organisations/<uuid:organisation_code>/plan/new/", plans.action_new, name="action_new"),
    path("organisations/<uuid:organisation_code>/plan.pdf", plan_files.plan_pdf, name="pdf"),
    path("organisations/<uuid:organisation_code>/plan/<int:action_id>/", plans.action_detail, name="action"),
    path("organisations/<uuid:organisation_code>/plan/<int:action_id>/edit/", plans.action_edit, name="action_edit"),
    path(
        "organisations/<uuid:organisation_code>/plan/<int:action_id>/delete/", plans.action_delete, name="action_delete"
    ),
    path(
        "organisations/<uuid:organisation_code>/plan/<int:action_id>/status/", plans.action_status, name="action_status"
    ),
    path("organisations/<uuid:organisation_code>/plan/<int:action_id>/note/", plans.action_note, name="action_note"),
]

# Learning from other organisations: sharing offers, peers and the case library.
learning_urls = [
    path("organisations/<uuid:organisation_code>/learning/", learning.learning_page, name="organisation"),
    path("organisations/<uuid:organisation_code>/learning/offers/", learning.offer_create, name="offer_create"),
    path("learning/offers/<int:offer_id>/consent/", learning.offer_consent, name="offer_consent"),
    path("learning/offers/<int:offer_id>/withdraw/", learning.offer_withdraw, name="offer_withdraw"),
    path("learning/cases/", learning.case_library, name="cases"),
    path("organisations/<uuid:organisation_code>/learning/cases/new/", learning.case_create, name="case_create"),
    path("learning/cases/<uuid:case_code>/", learning.case_detail, name="case"),
    path("learning/cases/<uuid:case_code>/edit/", learning.case_edit, name="case_edit"),
    path("learning/cases/<uuid:case_code>/moderate/", learning.case_moderate, name="case_moderate"),
    path("learning/moderation/", learning.moderation, name="moderation"),
]

# A consultant's portfolio: every client's scans, the anonymised report, one scan for several clients.
portfolio_urls = [
    path("portfolio/", portfolio.board, name="board"),
    path("portfolio/report/", portfolio.report, name="report"),
    path("portfolio/report.csv", portfolio.report_csv, name="report_csv"),
    path("portfolio/scans/new/", portfolio.scans_new, name="scans_new"),
    path("portfolio/scans/created/", portfolio.scans_created, name="created"),
]

# The platform administration, for platform administrators only (everyone else: 404).
platform_urls = [
    path("platform/", platform.overview, name="overview"),
    path("platform/organisations/", platform.organisations, name="organisations"),
    path("platform/organisations/new/", platform.organisation_create, name="organisation_create"),
    path("platform/organisations/<uuid:organisation_code>/", platform.organisation_edit, name="organisation_edit"),
    path("platform/users/", platform.users, name="users"),
    path("platform/users/<int:user_id>/block/", platform.user_block, name="user_block"),
    path("platform/users/<int:user_id>/unblock/", platform.user_unblock, name="user_unblock"),
    path("platform/audit/", platform.audit_log, name="audit"),
    path("platform/audit.csv", platform.audit_log_csv, name="audit_csv"),
    path("platform/retention/", platform.retention, name="retention"),
    path("platform/instruments/", platform.instrument_versions, name="instruments"),
    # Single sign-on: the organisations' identity providers (roer/sso/views.py).
    path("platform/sso/", sso.providers, name="sso"),
    path("platform/sso/new/", sso.provider_create, name="sso_create"),
    path("platform/sso/<int:provider_id>/", sso.provider_edit, name="sso_edit"),
    path("platform/benchmark-exchange/", exchange.exchange, name="benchmark_exchange"),
    path("platform/benchmark-exchange/export.json", exchange.export, name="benchmark_export"),
    path("platform/instruments/upload/", platform.instrument_upload, name="instrument_upload"),
    path("platform/instruments/<int:version_id>/", platform.instrument_version, name="instrument"),
]

result_urls = [
    path("scans/<uuid:scan_code>/results/", results.results, name="scan"),
]

# The directors' session after a scan: presenter view, conversation guide, choice of focus.
session_urls = [
    path("scans/<uuid:scan_code>/session/", session.present, name="present"),
    path("scans/<uuid:scan_code>/session/guide/", session.guide, name="guide"),
    path("scans/<uuid:scan_code>/session/focus/", session.focus, name="focus"),
]

report_urls = [
    path("scans/<uuid:scan_code>/report/foreword/", reports.report_foreword, name="foreword"),
    path("scans/<uuid:scan_code>/report/<slug:kind>/", reports.report, name="report"),
    path("scans/<uuid:scan_code>/report/<slug:kind>.pdf", reports.report_pdf, name="pdf"),
    path("scans/<uuid:scan_code>/export/<slug:name>.<slug:extension>", reports.export, name="export"),
    path("scans/<uuid:scan_code>/figures.<slug:extension>", reports.figures_file, name="figures"),
    path("scans/<uuid:scan_code>/exports/<uuid:export_code>/", reports.export_download, name="export_download"),
]

questionnaire_urls = [
    path("<str:token>/", questionnaire.start, name="start"),
    path("<str:token>/<int:number>/", questionnaire.page, name="page"),
]

urlpatterns = [
    # The questionnaire first: it has the most requests, and the resolver tries the patterns in order.
    path("a/", include((questionnaire_urls, "responses"))),
    path("i/", include((resident_public_urls, "resident_survey"))),
    path("", include((organisation_urls, "organisations"))),
    path("", include((resident_urls, "residents"))),
    path("", include((scan_urls, "scans"))),
    path("", include((result_urls, "results"))),
    path("", include((session_urls, "session"))),
    path("", include((learning_urls, "learning"))),
    path("", include((plan_urls, "plans"))),
    path("", include((member_urls, "members"))),
    path("", include((report_urls, "reports"))),
    path("", include((portfolio_urls, "portfolio"))),
    path("", include((platform_urls, "platform"))),
    path("login/", accounts.LoginView.as_view(), name="login"),
    # Logging in with an organisation's account (OpenID Connect): roer/sso/views.py.
    path(
        "login/sso/",
        include(
            (
                [
                    path("", sso.start, name="start"),
                    path("continue/", sso.continue_page, name="continue"),
                    path("go/", sso.AuthenticationRequestView.as_view(), name="go"),
                    path("callback/", sso.CallbackView.as_view(), name="callback"),
                ],
                "sso",
            )
        ),
    ),
    # Before the admin's own pattern (roer/urls.py includes these first): its log-in, throttled the same way.
    path("admin/login/", accounts.admin_login, name="admin_login"),
    # Answered by roer.lib.health.HealthCheckMiddleware before it gets here; named for reverse().
    path("health/", health, name="health"),
    # Answered by roer.web.health.ReadinessMiddleware the same way.
    path("ready/", ready, name="ready"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("account/", accounts.account, name="account"),
    # A new member's one-time link to choose a password (roer.lifecycle.members).
    path("account/set-password/<uidb64>/<token>/", members.SetPasswordView.as_view(), name="set_password"),
    path("account/set-password/done/", members.SetPasswordDoneView.as_view(), name="set_password_done"),
    path("method/", pages.method, name="method"),
    path("accessibility/", pages.accessibility, name="accessibility"),
    path("privacy/", pages.privacy, name="privacy"),
    path("open-data/benchmark/", exchange.open_data_page, name="open_data_benchmark"),
    path("open-data/benchmark.csv", exchange.open_data_csv, name="open_data_benchmark_csv"),
    path("open-data/benchmark.json", exchange.open_data_json, name="open_data_benchmark_json"),
    path("password/change/", auth_views.PasswordChangeView.as_view(), name="password_change"),
    path("password/change/done/", auth_views.PasswordChangeDoneView.as_view(), name="password_change_done"),
    path(
        "password/reset/",
        accounts.PasswordResetView.as_view(),
        name="password_reset",
    ),
    path("password/reset/sent/", auth_views.PasswordResetDoneView.as_view(), name="password_reset_done"),
    path(
        "password/reset/<uidb64>/<token>/", auth_views.PasswordResetConfirmView.as_view(), name="password_reset_confirm"
    ),
    path("password/reset/done/", auth_views.PasswordResetCompleteView.as_view(), name="password_reset_complete"),
]
