-- Follow-up questions on a report: threads between the two contact points, or between a contact point and the filing lab.
CREATE TABLE question_threads (
    id uuid NOT NULL,
    report_id uuid NOT NULL,
    "with" character varying(16) NOT NULL,
    counterpart_party character varying(8),
    created_by character varying(200) NOT NULL,
    created_at timestamp with time zone NOT NULL,
    CONSTRAINT pk_question_threads PRIMARY KEY (id),
    CONSTRAINT fk_question_threads_reports_report_id FOREIGN KEY (report_id) REFERENCES reports (id) ON DELETE CASCADE
);

CREATE INDEX ix_question_threads_report_id ON question_threads (report_id);

CREATE TABLE thread_messages (
    id uuid NOT NULL,
    thread_id uuid NOT NULL,
    author_party character varying(8) NOT NULL,
    author_organisation uuid NOT NULL,
    author character varying(200) NOT NULL,
    body character varying(10000) NOT NULL,
    language character varying(16) NOT NULL,
    created_at timestamp with time zone NOT NULL,
    CONSTRAINT pk_thread_messages PRIMARY KEY (id),
    CONSTRAINT fk_thread_messages_question_threads_thread_id FOREIGN KEY (thread_id) REFERENCES question_threads (id) ON DELETE CASCADE
);

CREATE INDEX ix_thread_messages_thread_id_created_at ON thread_messages (thread_id, created_at);
