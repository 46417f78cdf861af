# frozen_string_literal: true

# MoCore::Error and its subclasses, generated from the C library's error-category table
# (capi/mocore/error_categories.def, compiled into the extension). Nothing here lists the
# categories by hand:
#
#   MoCore::Error < StandardError
#     MoCore::InterfaceError                      (the table's PEP 249 family names,
#     MoCore::DatabaseError                        arranged as PEP 249 arranges them)
#       MoCore::OperationalError, IntegrityError, ProgrammingError, DataError,
#       NotSupportedError, InternalError
#   one class per category, <CamelName>Error < its family:
#     MoCore::ConstraintError < IntegrityError, MoCore::RetryableError < OperationalError,
#     MoCore::NotFoundError < ProgrammingError, MoCore::MisuseError < InterfaceError, ...
#     (DATA and INTERNAL share the family's name: MoCore::DataError is the "data" class.)
#
# Every error carries #category (a Symbol, e.g. :constraint), #code (the server error
# number, 0 if none), #sqlstate ("" if none), #message and #operation ("client.execute").
module MoCore
  class Error < StandardError
    attr_reader :code, :sqlstate, :operation

    def initialize(message = nil, code: 0, sqlstate: "", operation: "", category: nil)
      super(message || self.class.name)
      @code = code
      @sqlstate = sqlstate
      @operation = operation
      @category = category
    end

    # :constraint, :retryable, ...
    def category
      @category || self.class.category
    end

    # The status number of the category (negative, as the C API returns it).
    def status
      self.class.status
    end

    alias errno code              # the spelling of mysql2 and the DB-API
    alias error_number code       # Mysql2::Error#error_number

    def inspect
      "#<#{self.class.name}: #{message} code=#{code} sqlstate=#{sqlstate.inspect} " \
        "category=#{category} operation=#{operation.inspect}>"
    end

    class << self
      attr_writer :category, :status

      def category
        @category || (superclass.respond_to?(:category) ? superclass.category : nil)
      end

      def status
        @status || (superclass.respond_to?(:status) ? superclass.status : 0)
      end
    end
  end

  #: status number (negative) -> category class
  BY_STATUS = {}
  #: category Symbol (:constraint) -> category class
  BY_CATEGORY = {}

  core = Core
  camel = ->(name) { name.split("_").map(&:capitalize).join + "Error" }
  families = {}
  family = lambda do |name|
    families[name] ||= begin
      parent = %w[InterfaceError DatabaseError].include?(name) ? Error : family.call("DatabaseError")
      const_defined?(name, false) ? const_get(name, false) : const_set(name, Class.new(parent))
    end
  end
  family.call("InterfaceError")
  family.call("DatabaseError")
  core.mo_swig_category_count.times do |i|
    base = family.call(core.mo_swig_category_pep249(i))
    name = camel.call(core.mo_swig_category_lower(i))
    cls = name == base.name.split("::").last ? base : const_set(name, Class.new(base))
    cls.category = core.mo_swig_category_lower(i).to_sym
    cls.status = -core.mo_swig_category_number(i)
    BY_STATUS[cls.status] = cls
    BY_CATEGORY[cls.category] = cls
  end
  BY_STATUS.freeze
  BY_CATEGORY.freeze
  #: the category classes, in the table's order
  CATEGORY_CLASSES = BY_CATEGORY.values.freeze

  # The class of a category (:not_found -> NotFoundError).
  def self.error_class(category)
    BY_CATEGORY.fetch(category.to_sym)
  end

  # Build an error of a category from Ruby (used for caller mistakes caught in Ruby).
  def self.error(category, message, operation = "", code: 0, sqlstate: "")
    error_class(category).new(message, code: code, sqlstate: sqlstate, operation: operation)
  end

  # Called by the extension for every failed C call.
  Core.mo_rb_set_error_factory(lambda do |status, code, sqlstate, message, operation|
    (BY_STATUS[status] || InternalError).new(message, code: code, sqlstate: sqlstate,
                                                      operation: operation)
  end)
end
